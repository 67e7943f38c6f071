import { DataSource } from 'typeorm';
import { PASSWORD, signUp, signUpAdmin, uniqueEmail, useTestApp } from './utils/test-app.js';

/** Bad input is a 400 with a code, never a 500, and never reaches the database. */
describe('input hygiene', () => {
  const test = useTestApp();
  const register = (body: Record<string, unknown>) => test.http().post('/auth/register').send({ email: uniqueEmail(), password: PASSWORD, ...body });

  it.each([
    ['NUL in the name', { name: 'Ada\u0000Lovelace' }],
    ['NUL in the email', { email: `nul\u0000${uniqueEmail()}` }],
    ['NUL in the password', { password: 'correct horse\u0000battery staple' }],
    ['ESC in the name', { name: 'Ada \u001b[31mred' }],
    ['CR/LF in the name', { name: 'Ada\r\nINFO forged log line' }],
    ['a C1 control in the name', { name: 'Ada\u0085' }],
    ['a right-to-left override in the name', { name: 'Ada \u202Egnp.exe' }],
    ['a bidi isolate in the name', { name: '\u2067Ada\u2069' }],
    ['a control character in an unknown key', { 'x\u0000': 1 }],
  ])('refuses %s with 400', async (_label, body) => {
    const response = await register(body);
    expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it.each([
    ['zero-width space', '\u200B'],
    ['soft hyphen', '\u00AD'],
    ['word joiner', '\u2060'],
    ['no-break space', '\u00A0'],
    ['left-to-right mark', '\u200E'],
  ])('refuses an email with a %s (invisible, and it survives NFKC)', async (_label, invisible) => {
    const email = uniqueEmail('twin');
    await register({ email }).expect(201);
    const [local, domain] = email.split('@');
    const twin = await register({ email: `${local.slice(0, 2)}${invisible}${local.slice(2)}@${domain}` });
    expect([twin.status, twin.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('refuses control characters in a profile update, the login body and the query string', async () => {
    const user = await signUp(test);
    const patch = await test.http().patch('/users/me').set(user.bearer).send({ name: 'line one\nline two' });
    expect([patch.status, patch.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const loginNul = await test.http().post('/auth/login').send({ email: `${user.email}\u0000`, password: PASSWORD });
    expect([loginNul.status, loginNul.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const admin = await signUpAdmin(test);
    const query = await test.http().get('/admin/users?limit=1%00').set(admin.bearer);
    expect([query.status, query.body.code, query.body.message]).toEqual([400, 'VALIDATION_FAILED', ['query.limit must not contain control characters']]);
  });

  it('keeps names that need joiners and accents', async () => {
    const response = await register({ name: 'Zoë 👩\u200D💻 Ø' }).expect(201);
    expect(response.body.user.name).toBe('Zoë 👩\u200D💻 Ø');
  });

  it('answers deeply nested JSON with 400, not a stack overflow', async () => {
    const depth = 5000;
    const body = `{"email":"deep@example.com","password":"x","name":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect(body.length).toBeLessThan(16_000);
    const response = await test.http().post('/auth/register').set('Content-Type', 'application/json').send(body);
    expect([response.status, response.body.code]).toEqual([400, 'BODY_TOO_DEEP']);
    // Moderate nesting is still parsed (and refused by the DTO for what it is).
    const moderate = await test.http().post('/auth/register').send({ email: uniqueEmail(), password: PASSWORD, name: [[[['x']]]] });
    expect([moderate.status, moderate.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('left no row with a control character behind', async () => {
    const [row] = await test.app.get(DataSource).query(`SELECT count(*)::int AS n FROM users WHERE name ~ '[[:cntrl:]]' OR email ~ '[[:cntrl:]]'`);
    expect(row.n).toBe(0);
  });
});
