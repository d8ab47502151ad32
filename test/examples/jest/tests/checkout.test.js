const { cartTotalCents, formatCents } = require('../src/cart');

describe('checkout', () => {
  it('shows the total in euros', () => {
    expect(formatCents(cartTotalCents([['teapot', 1]]))).toBe('€24.99');
  });

  it('rounds to whole cents', () => {
    expect(formatCents(1)).toBe('€0.01');
  });
});
