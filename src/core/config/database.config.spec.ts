import { dataSourceOptions } from './database.config.js';

describe('dataSourceOptions', () => {
  it('never logs queries: a failed or slow query would be logged with its parameters (password hashes among them)', () => {
    const options = dataSourceOptions('postgres://localhost/db') as { logging?: unknown; maxQueryExecutionTime?: unknown };
    expect(options.logging ?? false).toBe(false);
    // TypeORM logs slow queries, parameters included, whatever `logging` says.
    expect(options.maxQueryExecutionTime).toBeUndefined();
  });
});
