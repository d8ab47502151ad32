const { formatCents } = require('../src/cart');

test('a receipt lists every line', () => {
  const lines = [1999, 500].map(formatCents);
  expect(lines).toEqual(['€19.99', '€5.00']);
});
