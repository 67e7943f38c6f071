import { DataSource } from 'typeorm';
import { createTestApp, login, PASSWORD, registerUser, uniqueEmail } from './utils/test-app.js';

describe('admin seeding from ADMIN_EMAIL and ADMIN_PASSWORD', () => {
  it('creates the admin once, and promotes an existing account without touching its password', async () => {
    const email = uniqueEmail('seed');
    const first = await createTestApp({ ADMIN_EMAIL: email, ADMIN_PASSWORD: 'seeded-password-1' });
    try {
      const admin = await login(first, email, 'seeded-password-1');
      await first.http().get('/admin/users').set(admin.bearer).expect(200);
    } finally {
      await first.close();
    }
    const again = await createTestApp({ ADMIN_EMAIL: email, ADMIN_PASSWORD: 'a-different-password' });
    try {
      const rows = await again.app.get(DataSource).query('SELECT count(*)::int AS n FROM users WHERE email = $1', [email]);
      expect(rows[0].n).toBe(1);
      await login(again, email, 'seeded-password-1');
    } finally {
      await again.close();
    }
  });

  it('promotes an account that registered before', async () => {
    const bootstrap = await createTestApp();
    const { email } = await registerUser(bootstrap);
    await bootstrap.close();
    const seeded = await createTestApp({ ADMIN_EMAIL: email, ADMIN_PASSWORD: 'not-the-users-password' });
    try {
      const admin = await login(seeded, email, PASSWORD);
      await seeded.http().get('/admin/users').set(admin.bearer).expect(200);
    } finally {
      await seeded.close();
    }
  });
});
