from shop import find_product


def test_health_endpoint():
    assert find_product("sku-1") is not None


def test_product_not_found():
    assert find_product("sku-404") is None
