// The application under test: a shopping cart, nothing clever.
const PRICES_CENTS = { kettle: 3999, teapot: 2499, mug: 899 };

function cartTotalCents(lines) {
  return lines.reduce((sum, [item, quantity]) => sum + PRICES_CENTS[item] * quantity, 0);
}

function formatCents(cents) {
  return `€${(cents / 100).toFixed(2)}`;
}

module.exports = { cartTotalCents, formatCents };
