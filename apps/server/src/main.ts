import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { buildApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { databaseOptions, openDatabase } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { maintainPglite, startPgliteMaintenance } from './db/pglite-maintenance.ts';
import { builtTemplate } from './db/pglite-template.ts';
import { demoStepsPending, seedDemo } from './demo/seed.ts';
import { type BrokerHandle, PortInUseError, startBroker } from './gateway/broker.ts';
import { forwardCommands } from './gateway/commands.ts';
import { createDeviceGate, intakeOf } from './gateway/device-gate.ts';
import { EventIntake } from './gateway/intake.ts';
import { startBoss } from './jobs/boss.ts';
import { ensureQueues } from './jobs/queues.ts';
import { startWorkers } from './jobs/workers.ts';
import { EventBus } from './lib/events.ts';
import { createLogger } from './lib/logger.ts';
import { generatePassword } from './modules/auth/passwords.ts';
import { jobDefinitions, startListeners } from './modules/index.ts';
import { ensureFirstAdmin } from './modules/users/bootstrap.ts';

/** Milliseconds since the process started, per start-up phase; logged at debug level (docs/performance.md). */
const phases: Record<string, number> = { imported: Math.round(performance.now()) };
const phase = (name: string) => {
  phases[name] = Math.round(performance.now());
};

function fail(line: string): never {
  process.stderr.write(`zhiyang: ${line}\n`);
  process.exit(1);
}

function portFree(port: number, host: string): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

function demoPassword(config: Config): string {
  if (config.demoPassword) return config.demoPassword;
  const file = path.join(config.dataDir, 'demo-password.txt');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const pw = generatePassword();
  writeFileSync(file, `${pw}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return pw;
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  // Fail fast, before the database is opened, when a port we must own is taken.
  if (config.roles.has('web') && !(await portFree(config.port, config.host)))
    fail(`Port ${config.port} is already in use; set PORT to a free port.`);
  if (
    config.roles.has('gateway') &&
    config.mqttEnabled &&
    !config.mqttUrl &&
    config.mqttPortSet &&
    !(await portFree(config.mqttPort, config.host))
  ) {
    fail(
      `MQTT port ${config.mqttPort} is already in use; set MQTT_PORT to a free port, or MQTT_URL=mqtt://127.0.0.1:${config.mqttPort} to use the broker that holds it.`,
    );
  }
  const log = createLogger(config.logLevel);
  const database = await openDatabase({
    ...databaseOptions(config),
    pgliteTemplate: config.databaseUrl ? null : builtTemplate(),
  });
  const applied = await migrate(database);
  if (applied.length) log.info({ applied }, 'migrations applied');
  if (database.kind === 'pglite') {
    // Tables too large to vacuum while serving (db/pglite-maintenance.ts) are vacuumed now.
    const maintained = await maintainPglite(database, { startup: true });
    if (maintained.length) log.info({ maintained }, 'embedded database vacuumed and analysed');
  }
  phase('database');

  const isWorker = config.roles.has('worker');
  const boss = await startBoss(database, { supervise: isWorker, schedule: isWorker });
  // Every role may send jobs (a web request, a device event), so the queues exist before any send.
  await ensureQueues(boss);
  const events = new EventBus(database);
  await events.start();
  phase('jobs');

  let broker: BrokerHandle | null = null;
  const { app, ctx } = await buildApp({
    config,
    database,
    logger: log,
    boss,
    events,
    broker: () => broker?.status() ?? 'disabled',
  });
  // Wiring per ROLES (modules/index.ts): buildApp served the routes of the roles; here the
  // modules' event listeners, then the gateway, and after listen the job workers.
  const stopListeners = startListeners(ctx, config.roles);
  if (config.roles.has('gateway')) {
    try {
      // Devices are authenticated and their events stored before the PUBACK (gateway/).
      broker = await startBroker(
        config,
        log,
        createDeviceGate(
          ctx,
          intakeOf(ctx, () => new EventIntake(ctx)),
        ),
      );
      forwardCommands(ctx, broker);
    } catch (err) {
      if (!(err instanceof PortInUseError)) throw err;
      const hint = 'set MQTT_PORT to a free port, or MQTT_URL=mqtt://127.0.0.1:1883 to use the broker that holds it';
      // An explicit MQTT_PORT that is taken is a configuration error. The default port being taken
      // (a developer machine running Mosquitto) must not stop a first `npm start`: say so and go on
      // without the embedded broker — devices can still use the signed HTTP intake.
      if (config.mqttPortSet) fail(`MQTT port ${err.port} is already in use; ${hint}.`);
      process.stderr.write(`zhiyang: MQTT port ${err.port} is already in use, so the embedded broker is off; ${hint}.\n`);
      broker = { status: () => 'disabled', close: async () => {} };
    }
  }

  phase('app');
  const admin = await ensureFirstAdmin(ctx);
  const demoState = { demoPassword: demoPassword(config) };
  if (config.seedDemo) await seedDemo(ctx, demoState, (m) => log.info(m), 'foreground');
  phase('seed');

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      fail(`Port ${config.port} is already in use; set PORT to a free port.`);
    throw err;
  }
  phase('listening');
  // The API serves from here on. Jobs wait durably in their queues until the workers attach.
  if (isWorker) await startWorkers(ctx, boss, jobDefinitions);
  // The embedded database has no autovacuum: analyse and vacuum what changed (db/pglite-maintenance.ts).
  const maintenance = startPgliteMaintenance(database, { log });
  phase('workers');
  const cpu = process.cpuUsage();
  log.debug({ phases, cpuMs: Math.round((cpu.user + cpu.system) / 1000) }, 'start-up phases');

  const buildMs = (globalThis as Record<symbol, number | undefined>)[Symbol.for('zhiyang.buildMs')] ?? 0;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  const lines = [
    '',
    `  Zhiyang 智养 is ready in ${phases.listening - buildMs} ms${buildMs > 100 ? ` (after ${buildMs} ms of building)` : ''} — ${url}`,
    `  database: ${database.kind === 'pglite' ? `embedded PGlite in ${path.join(config.dataDir, 'pglite')}` : 'PostgreSQL'}; broker: ${broker?.status() ?? 'off'}${broker?.port ? ` on port ${broker.port}` : ''}`,
    config.roles.has('web')
      ? `  API docs: ${url}/api/docs`
      : `  roles: ${[...config.roles].join(', ')} (no web: HTTP answers /api/v1/health only)`,
  ];
  if (admin.generatedPassword) {
    lines.push(`  First login: user "admin", password ${admin.generatedPassword}`);
    lines.push(`  (also in ${admin.file}; you must change it at first login)`);
  } else lines.push('  Log in as "admin" (password from ZHIYANG_ADMIN_PASSWORD or the first start).');
  if (config.seedDemo)
    lines.push(
      `  Demo accounts demo-district, demo-operator … : password in ${config.demoPassword ? 'ZHIYANG_DEMO_PASSWORD' : path.join(config.dataDir, 'demo-password.txt')}`,
    );
  process.stdout.write(`${lines.join('\n')}\n\n`);
  if (config.seedDemo) {
    const pending = await demoStepsPending(ctx, 'background');
    if (pending)
      process.stdout.write('  Demo history (elders, orders, devices, alarms) is being generated in the background …\n\n');
    seedDemo(ctx, demoState, (m) => log.info(m), 'background')
      .then(() => pending && process.stdout.write('  Demo history complete.\n'))
      .catch((err) => log.error({ err }, 'demo data could not be completed; it resumes at the next start'));
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    stopListeners();
    await app.close().catch(() => {});
    await boss.stop({ graceful: true, timeout: 5000 }).catch(() => {});
    await broker?.close().catch(() => {});
    await events.stop().catch(() => {});
    await maintenance.stop().catch(() => {});
    await database.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`zhiyang: start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
