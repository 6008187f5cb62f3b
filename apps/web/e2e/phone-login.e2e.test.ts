import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

// An elder logs in on a phone (390×844, zh-CN) with the mobile number and the code from the text
// message: the page opens on 验证码登录 (login by phone code), 获取验证码 starts the 60-second countdown, a wrong code
// is said in Chinese, the right one lands on the elder's home page. The code is read from the SMS
// provider the server was configured with (a capture in memory), as the phone would receive it.

let server: Server;
let browser: Browser;
let shots: string;
const PHONE = '13912345678';
const sent: Array<{ to: string; params?: Record<string, string> }> = [];

describe('elder login by SMS code', () => {
  beforeAll(async () => {
    ensureWebBuild();
    const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const { users } = await import(path.join(SERVER_SRC, 'modules/users/users.schema.ts'));
    const { eq } = await import('drizzle-orm');
    const capture = {
      name: 'capture',
      async send(n: { to: string; params?: Record<string, string> }) {
        sent.push(n);
      },
    };
    server = await startTestServer({ listen: true, config: { webDist: WEB_DIST, smsProvider: capture } });
    await f.seedTree(server.ctx);
    const elder = await createElder(server.ctx, f.TREE.communityA1, { name: '李桂兰', phone: PHONE });
    const account = await f.createAccount(server.ctx, 'elder');
    await server.ctx.db
      .update(users)
      .set({ elderId: elder.id, displayName: '李桂兰', mustChangePassword: true })
      .where(eq(users.id, account.id));
    browser = await launchBrowser();
    shots = screenshotDir();
    console.info(`screenshots: ${shots}`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for a code, gets a Chinese error for a wrong one and lands on the elder home page with the right one', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/elder`);
    const codeTab = page.getByRole('tab', { name: '验证码登录' });
    await codeTab.waitFor();
    await page.screenshot({ path: path.join(shots, 'elder-login-open-390.png'), fullPage: true });
    expect(await codeTab.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByRole('tab', { name: '密码登录' }).count()).toBe(1);

    const phoneInput = page.getByPlaceholder('请输入11位手机号');
    expect(await phoneInput.getAttribute('inputmode')).toBe('numeric');
    const codeInput = page.getByPlaceholder('短信里的6位数字');
    expect(await codeInput.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await codeInput.getAttribute('inputmode')).toBe('numeric');

    // A number that is not a mobile number is caught on the page, in Chinese.
    await phoneInput.fill('12345');
    await page.getByRole('button', { name: '获取验证码' }).click();
    await expect.poll(() => page.getByText('请输入正确的11位手机号').count()).toBe(1);

    await phoneInput.fill(PHONE);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await expect.poll(() => page.getByText('验证码已发送').count()).toBe(1);
    const countdown = page.getByRole('button', { name: /秒后可重新获取/ });
    await countdown.waitFor();
    expect(await countdown.isDisabled()).toBe(true);
    await expect.poll(() => sent.filter((n) => n.to === PHONE).length).toBe(1);
    const code = sent[0].params?.code as string;
    expect(code).toMatch(/^[0-9]{6}$/);

    // 适老化: the login's texts 22 px or larger, its buttons and fields at least 56 px tall.
    const small = await page.evaluate(() => {
      const out: string[] = [];
      for (const el of Array.from(document.querySelectorAll('form *, [role=tablist] *')) as HTMLElement[]) {
        const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent?.trim());
        if (own && Number.parseFloat(getComputedStyle(el).fontSize) < 22) out.push(`text ${el.textContent?.slice(0, 20)}`);
        if ((el.tagName === 'BUTTON' || el.tagName === 'INPUT') && el.getBoundingClientRect().height < 56)
          out.push(`target ${el.tagName} ${el.textContent?.slice(0, 20)}`);
      }
      return out;
    });
    expect(small).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'elder-login-code-390.png'), fullPage: true });

    await codeInput.fill(code === '000000' ? '111111' : '000000');
    await page
      .getByRole('button', { name: '登 录' })
      .or(page.getByRole('button', { name: '登录' }))
      .click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('验证码不正确');
    await page.screenshot({ path: path.join(shots, 'elder-login-code-wrong-390.png'), fullPage: true });

    await codeInput.fill(code);
    await page
      .getByRole('button', { name: '登 录' })
      .or(page.getByRole('button', { name: '登录' }))
      .click();
    // The temporary password does not send her to the password page: she lands on her home page.
    await expect.poll(() => page.getByText('李桂兰，您好').count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/elder');
    await page.screenshot({ path: path.join(shots, 'elder-home-after-code-390.png'), fullPage: true });
    await context.close();
  });
});
