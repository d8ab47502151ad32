const { cartTotalCents } = require('../src/cart');

test('an empty cart costs nothing', () => {
  expect(cartTotalCents([])).toBe(0);
});

test('a cart adds up its lines', () => {
  expect(
    cartTotalCents([
      ['kettle', 1],
      ['mug', 2],
    ]),
  ).toBe(5797);
});
