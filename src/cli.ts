#!/usr/bin/env node
// The shipgate command line. Commands are imported lazily so --help and --version stay instant.
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { version } from './paths.js';

const EXIT_USAGE = 2;
const EXIT_INTERNAL = 3;

const list = (v: unknown): string[] | undefined => {
  if (v === undefined) return undefined;
  const items = ([] as unknown[]).concat(v).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
};

function runOptions<T>(y: Argv<T>) {
  return y
    .option('gates', { type: 'string', array: true, describe: 'Only these gates (comma-separated): build, probes, security, auth, realtime, load' })
    .option('reporter', { alias: 'r', type: 'string', array: true, describe: 'Write a report: junit=PATH, md=PATH or json=PATH (repeatable)' })
    .option('fail-on', { choices: ['fail', 'warn'] as const, default: 'fail' as const, describe: 'Lowest check status that fails the run' })
    .option('timeout', { type: 'string', describe: 'Deadline of the whole run, e.g. 10m (overrides timeouts.run)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No console output except errors' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Print progress lines even without a TTY' })
    .option('allow-load', { type: 'boolean', default: false, describe: 'Permit the load gate on a target marked production (target.production: true)' });
}

async function toExecuteOptions(argv: Record<string, unknown>) {
  let timeoutMs: number | undefined;
  if (argv.timeout !== undefined) {
    const { parseDuration } = await import('./duration.js');
    timeoutMs = parseDuration(String(argv.timeout));
    if (timeoutMs === undefined) throw usage(`--timeout ${JSON.stringify(argv.timeout)}: expected a duration like "10m" or "90s"`);
  }
  return {
    gates: list(argv.gates),
    reporter: ([] as string[]).concat((argv.reporter as string[] | undefined) ?? []),
    failOn: argv.failOn as 'fail' | 'warn',
    quiet: Boolean(argv.quiet),
    verbose: Boolean(argv.verbose),
    timeoutMs,
    allowLoad: Boolean(argv.allowLoad),
  };
}

class CliUsageError extends Error {}
const usage = (m: string) => new CliUsageError(m);

async function main(): Promise<number> {
  let exitCode = 0;
  const setExit = (p: Promise<number>) => p.then((c) => void (exitCode = c));
  const cli = yargs(hideBin(process.argv))
    .scriptName('shipgate')
    .usage('$0 <command> [options]\n\nVerify a running deployment is fit to release: build, probes, security, auth, realtime and load gates, one verdict with evidence.')
    .command(
      'run <profile>',
      'Run the gates of a profile against its target',
      (y) => runOptions(y.positional('profile', { type: 'string', demandOption: true, describe: 'YAML profile' })),
      async (argv) => setExit(import('./commands/run.js').then(async (m) => m.runCommand(argv.profile as string, await toExecuteOptions(argv)))),
    )
    .command(
      'validate <profile>',
      'Parse and validate a profile; send no traffic',
      (y) => y.positional('profile', { type: 'string', demandOption: true, describe: 'YAML profile' }),
      async (argv) => setExit(import('./commands/validate.js').then((m) => m.validateCommand(argv.profile as string))),
    )
    .command(
      'demo',
      'Start the built-in reference target and run profiles/demo.yaml against it',
      (y) => runOptions(y).option('flaws', { type: 'string', array: true, describe: 'Switch on flaws (comma-separated), e.g. ready-fails,health-slow; see `shipgate demo --list-flaws`' }).option('list-flaws', { type: 'boolean', describe: 'List the flaws the demo target can switch on' }),
      async (argv) => {
        if (argv.listFlaws) {
          const { DEMO_FLAWS } = await import('./demo/modules.js');
          for (const [name, what] of Object.entries(DEMO_FLAWS)) process.stdout.write(`${name.padEnd(24)} ${what}\n`);
          return;
        }
        await setExit(import('./commands/demo.js').then(async (m) => m.demoCommand({ ...(await toExecuteOptions(argv)), flaws: list(argv.flaws) })));
      },
    )
    .example('$0 demo', 'Run every gate against the built-in demo target (green)')
    .example('$0 demo --flaws ready-fails', 'The same with a broken readiness probe (red, exit 1)')
    .example('$0 validate profiles/staging.yaml', 'Check a profile without sending traffic')
    .example('$0 run profiles/staging.yaml --gates probes,security', 'Run two gates against staging')
    .example('$0 run staging.yaml -r junit=out/junit.xml -r md=out/summary.md -r json=out/run.json', 'Write all three reports')
    .epilog('Exit codes: 0 pass · 1 a gate failed · 2 bad profile or usage · 3 shipgate could not run (internal error, interrupted, undecided checks).\nProfiles interpolate ${VAR}, ${VAR:-default}, ${VAR:?message}; ${secret:VAR} values are redacted as *** in every output.')
    .demandCommand(1, 'Name a command: run, validate or demo (see --help)')
    .strict()
    .version(version)
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`shipgate: ${msg}\nRun "shipgate --help" for usage.\n`);
      process.exit(EXIT_USAGE);
    });
  await cli.parseAsync();
  return exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (err: unknown) => {
    const name = (err as Error)?.name;
    if (name === 'ProfileError') {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exitCode = EXIT_USAGE;
    } else if (name === 'UsageError' || name === 'UnknownFlawError' || err instanceof CliUsageError) {
      process.stderr.write(`shipgate: ${(err as Error).message}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      process.stderr.write(`shipgate: internal error: ${(err as Error)?.stack ?? err}\nPlease report this with the command you ran.\n`);
      process.exitCode = EXIT_INTERNAL;
    }
  },
);
