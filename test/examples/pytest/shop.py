"""The application under test: a few pure functions of an online shop."""

PRODUCTS = {"sku-1": ("Kettle", 3999), "sku-2": ("Teapot", 2499), "sku-3": ("Mug", 899)}


def find_product(sku):
    return PRODUCTS.get(sku)


def order_total(lines):
    return sum(PRODUCTS[sku][1] * quantity for sku, quantity in lines)


def apply_discount(cents, percent):
    return cents - cents * percent // 100


def invoice_number(year, sequence):
    return f"INV-{year}-{sequence:06d}"
