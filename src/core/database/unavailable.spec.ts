import { QueryFailedError } from 'typeorm';
import { unavailableDependency } from './unavailable.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('unavailableDependency', () => {
  it.each([
    ['a refused connection', Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' })],
    ['the pool acquire timeout', new Error('timeout exceeded when trying to connect')],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['the client-side query timeout', new Error('Query read timeout')],
    ['a statement timeout', new QueryFailedError('SELECT 1', [], withCode('canceling statement due to statement timeout', '57014'))],
    ['a server shutting down', withCode('terminating connection due to administrator command', '57P01')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['a connection exception class', withCode('connection failure', '08006')],
  ])('maps %s to the database', (_label, error) => {
    expect(unavailableDependency(error)).toBe('database');
  });

  it.each([
    ['no offline queue', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['a command timeout', new Error('Command timed out')],
    ['a closed connection', new Error('Connection is closed.')],
    ['exhausted retries', Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' })],
  ])('maps %s to Redis', (_label, error) => {
    expect(unavailableDependency(error)).toBe('redis');
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('duplicate key value', '23505'))],
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'boom'],
  ])('leaves %s alone (a bug is a 500, not a 503)', (_label, error) => {
    expect(unavailableDependency(error)).toBeUndefined();
  });
});
