// forks: each test file in a child process (vitest's default pool); leakhunt budgets the tree.
export default { test: { pool: 'forks', include: ['tests/**/*.test.js'] } };
