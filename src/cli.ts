#!/usr/bin/env node
// The shipgate command line. Commands are imported lazily so --help and --version stay instant.
import type { Argv, CommandModule } from 'yargs';
import { EXIT_USAGE, exitCodeOf, UsageError } from './errors.js';
import { ReportPathError } from './report/report-paths.js';
import { ProfileError } from './profile/errors.js';
import { version } from './paths.js';
import { closest } from './profile/suggest.js';

const list = (v: unknown): string[] | undefined => {
  if (v === undefined) return undefined;
  const items = ([] as unknown[])
    .concat(v)
    .flatMap((x) => String(x).split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
};

function runOptions<T>(y: Argv<T>) {
  return y
    .option('gates', {
      type: 'string',
      array: true,
      describe: 'Only these gates (comma-separated gate ids, the keys under gates: in the profile, e.g. probes,security)',
    })
    .option('suite', { type: 'string', describe: "Run one of the profile's suites (suites: smoke: [probes, security])" })
    .option('reporter', {
      alias: 'r',
      type: 'string',
      array: true,
      describe: reporterHelp(true),
    })
    .option('fail-on', {
      type: 'string',
      array: true,
      describe: 'Also fail the run on: warn (warnings and flaky checks), regression (changes since --baseline); comma-separated',
    })
    .option('notify', {
      choices: ['failure-or-change', 'failure', 'change', 'always'] as const,
      default: 'failure-or-change' as const,
      describe: "When --reporter webhook=URL posts (a change is against --baseline's verdict)",
    })
    .option('baseline', {
      type: 'string',
      describe: 'JSON report of an earlier run: show what changed since (newly failing, fixed, slower)',
    })
    .option('tolerance', {
      type: 'number',
      default: 20,
      describe: 'With --baseline: percent a metric may worsen before it counts as a regression',
    })
    .option('timeout', {
      type: 'string',
      describe: 'Deadline of the whole run, e.g. 10m or 1m30s, at most 576h (overrides timeouts.run)',
    })
    .option('quiet', {
      alias: 'q',
      type: 'boolean',
      default: false,
      describe: 'Print only failing (and undecided) checks and the verdict',
    })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Print progress lines even without a TTY' })
    .option('allow-load', {
      type: 'boolean',
      default: false,
      describe: 'Permit the load gate on a target marked production (target.production: true)',
    });
}

async function toExecuteOptions(argv: Record<string, unknown>) {
  let timeoutMs: number | undefined;
  if (argv.timeout !== undefined) {
    const { parseDuration } = await import('./duration.js');
    timeoutMs = parseDuration(String(argv.timeout));
    if (timeoutMs === undefined || timeoutMs === 0)
      throw usage(`--timeout ${JSON.stringify(argv.timeout)}: expected a duration like "10m", "90s" or "1m30s", at most 576h`);
  }
  const tolerance = numberFlag('tolerance', argv.tolerance, { min: 0 });
  const failOn = list(argv.failOn) ?? [];
  for (const f of failOn)
    if (!['fail', 'warn', 'regression'].includes(f)) throw usage(`--fail-on ${f}: expected warn, regression or fail`);
  if (failOn.includes('regression') && !argv.baseline)
    throw usage('--fail-on regression needs --baseline PATH (a JSON report of an earlier run)');
  return {
    gates: list(argv.gates),
    suite: argv.suite as string | undefined,
    reporter: ([] as string[]).concat((argv.reporter as string[] | undefined) ?? []),
    failOn: failOn.includes('warn') ? ('warn' as const) : ('fail' as const),
    failOnRegression: failOn.includes('regression'),
    baseline: argv.baseline as string | undefined,
    notify: argv.notify as 'failure-or-change' | 'failure' | 'change' | 'always',
    tolerance: tolerance / 100,
    quiet: Boolean(argv.quiet),
    verbose: Boolean(argv.verbose),
    timeoutMs,
    allowLoad: Boolean(argv.allowLoad),
  };
}

const COMMAND_NAMES = 'run, validate, init, demo, doctor, merge, export or schema';

/** "Unknown argument: paralel" → "… (did you mean --parallel?)", like recommendCommands does for commands. */
function withFlagSuggestions(msg: string, known: string[]): string {
  // recommendCommands says only "Did you mean validate?": name what was typed, too.
  const typed = process.argv[2];
  if (/^Did you mean /.test(msg) && typed) return `unknown command ${JSON.stringify(typed)}. ${msg}`;
  const m = /^Unknown arguments?: (.+)$/.exec(msg);
  if (!m) return msg;
  if (typed && !typed.startsWith('-') && m[1].split(', ')[0] === typed)
    return `unknown command ${JSON.stringify(typed)}; commands: ${COMMAND_NAMES}`;
  const kebab = known.map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
  const hints = m[1].split(', ').flatMap((word) => {
    const hint = closest(word, kebab);
    return hint ? [`--${word.replace(/^-+/, '')}: did you mean --${hint}?`] : [];
  });
  return hints.length ? `${msg} (${hints.join('; ')})` : msg;
}

/** The raw text after --name on the command line, for messages (yargs has already turned it into NaN). */
function rawFlag(name: string): string | undefined {
  const args = process.argv;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
  }
  return undefined;
}

const usage = (m: string) => new UsageError(m);

/** yargs turns `--parallel abc` into NaN: every numeric flag is checked here, as a usage error. */
function numberFlag(name: string, value: unknown, rule: { min: number; integer?: boolean }): number {
  const n = Number(value);
  if (typeof value !== 'number' || !Number.isFinite(n) || n < rule.min || (rule.integer && !Number.isInteger(n))) {
    throw usage(
      `--${name} ${JSON.stringify(Number.isNaN(value) ? (rawFlag(name) ?? String(value)) : String(value))}: expected ${rule.integer ? 'a whole number' : 'a number'} ≥ ${rule.min}`,
    );
  }
  return n;
}

/**
 * `run` and `demo`: a profile error or a bad option still writes every report asked for with
 * --reporter (one `error` result naming the cause), and under GitHub Actions an ::error annotation on the
 * profile line, then fails with exit 2 as before.
 */
async function reportingStartupErrors(argv: Record<string, unknown>, start: () => Promise<number>): Promise<number> {
  try {
    return await start();
  } catch (err) {
    const reporters = ([] as string[]).concat((argv.reporter as string[] | undefined) ?? []);
    // Refused report paths are the one usage error with no report: writing it would overwrite the input it protects.
    const annotating = reporters.length > 0 || process.env.GITHUB_ACTIONS === 'true';
    if (annotating && err instanceof UsageError && !(err instanceof ReportPathError)) {
      const { writeStartupErrorReports } = await import('./commands/error-report.js');
      const first = (err as { problems?: { line?: number; column?: number }[] }).problems?.[0];
      await writeStartupErrorReports(reporters, {
        id: err instanceof ProfileError ? 'shipgate.profile' : 'shipgate.usage',
        message: (err as Error).message,
        file: (err as { file?: string }).file,
        line: first?.line,
        column: first?.column,
        profile: ([] as unknown[]).concat(argv.profiles ?? []).map(String)[0],
      });
    }
    throw err;
  }
}

/**
 * The two invocations that must start fastest skip yargs, whose import costs more CPU than Node.js
 * itself takes to start (its help layout and locale modules): `shipgate --version` and
 * `shipgate validate <profile>`. Anything else (other commands, any option, --help) goes through yargs.
 */
async function fastPath(args: string[]): Promise<number | undefined> {
  if (args.length === 1 && args[0] === '--version') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (args.length === 2 && args[0] === 'validate' && !args[1].startsWith('-'))
    return (await import('./commands/validate.js')).validateCommand(args[1]);
  return undefined;
}

/** Sets a command's exit code once its promise settles. */
type SetExit = (p: Promise<number>) => Promise<void>;

/**
 * V8 settings for a run's peak memory (bench/RESULTS.md), set before the first module is compiled.
 * WebAssembly stays at its baseline tier (Liftoff): V8's background TurboFan tier-up of undici's HTTP
 * parser (llhttp) took a transient ~35 MB, the peak of a demo run. Both flags are read when a module is
 * compiled, so they work set here; Liftoff parses fast enough. The young generation keeps its initial 1 MB
 * semi-space instead of doubling up to 16 MB (two of them): ~30 MB less at the peak for more, shorter
 * scavenges; the load gate's throughput and p99 are unchanged. V8 reads the growth factor at each resize;
 * --max-semi-space-size is fixed when the heap is set up and does nothing here.
 */
async function tuneV8(): Promise<void> {
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString('--no-wasm-tier-up');
  setFlagsFromString('--no-wasm-dynamic-tiering');
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** The --reporter help of run and demo (with --notify) and of merge. */
const reporterHelp = (notify: boolean) =>
  'Write a report (repeatable): junit=PATH, md=PATH, json=PATH, html=PATH, or sarif=PATH (security findings for ' +
  'code scanning); PATH - writes it to standard output (-r json=-) and the console to stderr; webhook=URL posts a ' +
  `summary${notify ? ' (see --notify)' : ''}; GitHub annotations are on when GITHUB_ACTIONS=true (github=off turns ` +
  'them off, github=- on)';

function runCommand(setExit: SetExit): CommandModule<object, any> {
  return {
    command: 'run <profiles..>',
    describe: 'Run the gates of one or more profiles against their targets',
    builder: (y) =>
      runOptions(
        y.positional('profiles', {
          type: 'string',
          array: true,
          demandOption: true,
          describe: 'YAML profile(s); several are merged into one report',
        }),
      ).option('parallel', {
        type: 'number',
        default: 1,
        describe: 'With several profiles: how many run at once',
      }),
    handler: async (argv) =>
      setExit(
        reportingStartupErrors(argv, async () => {
          const options = {
            ...(await toExecuteOptions(argv)),
            parallel: numberFlag('parallel', argv.parallel, { min: 1, integer: true }),
          };
          return (await import('./commands/run.js')).runCommand(argv.profiles as string[], options);
        }),
      ),
  };
}

function mergeCommand(setExit: SetExit): CommandModule<object, any> {
  return {
    command: 'merge <reports..>',
    describe: 'Merge JSON reports of separate runs (e.g. a CI matrix) into one report',
    builder: (y) =>
      y
        .positional('reports', {
          type: 'string',
          array: true,
          demandOption: true,
          describe: 'JSON reports written with --reporter json=PATH',
        })
        .option('reporter', { alias: 'r', type: 'string', array: true, describe: reporterHelp(false) })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No console summary' }),
    handler: async (argv) =>
      setExit(
        import('./commands/merge.js').then((m) =>
          m.mergeCommand(argv.reports as string[], {
            reporter: argv.reporter as string[] | undefined,
            quiet: Boolean(argv.quiet),
          }),
        ),
      ),
  };
}

function validateCommand(setExit: SetExit): CommandModule<object, any> {
  return {
    command: 'validate <profile>',
    describe: 'Parse and validate a profile; send no traffic',
    builder: (y) => y.positional('profile', { type: 'string', demandOption: true, describe: 'YAML profile' }),
    handler: async (argv) => setExit(import('./commands/validate.js').then((m) => m.validateCommand(argv.profile as string))),
  };
}

function demoCommand(setExit: SetExit): CommandModule<object, any> {
  return {
    command: 'demo',
    describe: 'Start the built-in reference target and run profiles/demo.yaml against it',
    builder: (y) =>
      runOptions(y)
        .option('flaws', {
          type: 'string',
          array: true,
          describe: 'Switch on flaws (comma-separated), e.g. ready-fails,health-slow; see `shipgate demo --list-flaws`',
        })
        .option('list-flaws', { type: 'boolean', describe: 'List the flaws the demo target can switch on' })
        .option('tls', {
          type: 'boolean',
          describe: 'Serve the demo over HTTPS with a throwaway CA made at start (tls-* flaws imply it)',
        }),
    handler: async (argv) => {
      if (argv.listFlaws) {
        const { DEMO_FLAWS } = await import('./demo/modules.js');
        for (const [name, what] of Object.entries(DEMO_FLAWS)) process.stdout.write(`${name.padEnd(24)} ${what}\n`);
        return;
      }
      await setExit(
        reportingStartupErrors(argv, async () =>
          (await import('./commands/demo.js')).demoCommand({
            ...(await toExecuteOptions(argv)),
            flaws: list(argv.flaws),
            tls: Boolean(argv.tls),
          }),
        ),
      );
    },
  };
}

function initCommand(setExit: SetExit): CommandModule<object, any> {
  return {
    command: 'init <url>',
    describe: 'Probe a running deployment and write a commented starter profile (safe against production: no load, no writes)',
    builder: (y) =>
      y
        .positional('url', {
          type: 'string',
          demandOption: true,
          describe: 'Where the deployment answers, e.g. https://staging.example.com',
        })
        .option('output', {
          alias: 'o',
          type: 'string',
          describe: 'Where to write the profile (default: profiles/<name from the host>.yaml)',
        })
        .option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing file' })
        .option('ca', {
          type: 'string',
          array: true,
          describe:
            'Trust this CA certificate (PEM file) besides the system roots, for a target signed by an internal CA; written into the profile as target.tls.ca',
        })
        .option('insecure', {
          type: 'boolean',
          default: false,
          describe:
            'Probe without checking the certificate; written into the profile as target.tls.insecure (a warning in every report)',
        })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No summary, no progress' }),
    handler: async (argv) =>
      setExit(
        import('./commands/init.js').then((m) =>
          m.initCommand(argv.url as string, {
            output: argv.output as string | undefined,
            force: Boolean(argv.force),
            ca: argv.ca as string[] | undefined,
            insecure: Boolean(argv.insecure),
            quiet: Boolean(argv.quiet),
          }),
        ),
      ),
  };
}

/** `formats`: what the gates' manifests export, known only when the export command was asked for. */
function exportCommand(setExit: SetExit, formats: string[] | undefined): CommandModule<object, any> {
  return {
    command: 'export <format> <profile>',
    describe:
      "Write a gate's section of a profile in another tool's format; each gate's manifest lists the formats it exports (k6: the load gate as a k6 script)",
    builder: (y) =>
      y
        .positional('format', {
          type: 'string',
          demandOption: true,
          ...(formats ? { choices: formats } : {}),
          describe: 'Target format, one that a gate exports',
        })
        .positional('profile', {
          type: 'string',
          demandOption: true,
          describe: 'YAML profile with a section for the gate that exports the format',
        })
        .option('output', { alias: 'o', type: 'string', describe: 'Write the export to FILE instead of stdout' }),
    handler: async (argv) =>
      setExit(
        import('./commands/export.js').then((m) =>
          m.exportCommand(argv.format as string, argv.profile as string, { output: argv.output as string | undefined }),
        ),
      ),
  };
}

function doctorCommand(setExit: SetExit): CommandModule<object, any> {
  return {
    command: 'doctor [profile]',
    describe: 'Check this machine (Node.js, a browser that launches) and, with a profile, that its target can be reached',
    builder: (y) =>
      y
        .positional('profile', {
          type: 'string',
          describe: 'YAML profile: also validate it, reach its target, and check only the browser its gates drive',
        })
        .option('json', { type: 'boolean', default: false, describe: 'Print the findings as JSON' }),
    handler: async (argv) =>
      setExit(
        import('./commands/doctor.js').then((m) =>
          m.doctorCommand(argv.profile as string | undefined, { json: Boolean(argv.json) }),
        ),
      ),
  };
}

function schemaCommand(setExit: SetExit): CommandModule<object, any> {
  return {
    command: 'schema',
    describe: 'Print the JSON Schema of the profile (for editors: yaml-language-server)',
    builder: (y) => y,
    handler: async () => setExit(import('./commands/schema.js').then((m) => m.schemaCommand())),
  };
}

function withExamples<T>(cli: Argv<T>): Argv<T> {
  return cli
    .example('$0 demo', 'Run every gate against the built-in demo target (green)')
    .example('$0 demo --flaws ready-fails', 'The same with a broken readiness probe (red, exit 1)')
    .example('$0 run api.yaml web.yaml --parallel 2 -r junit=out/junit.xml', 'Check two services, one merged report')
    .example('$0 merge out/*/run.json -r junit=out/junit.xml -r md=out/summary.md', 'Merge the JSON reports of a CI matrix')
    .example(
      '$0 demo --flaws load-slow --baseline first.json --fail-on regression',
      'Fail when anything got worse since an earlier run',
    )
    .example(
      '$0 init https://staging.example.com -o profiles/staging.yaml',
      'Probe a deployment and write a starter profile to fill in',
    )
    .example('$0 validate profiles/staging.yaml', 'Check a profile without sending traffic')
    .example('$0 doctor profiles/staging.yaml', 'Something does not work: check Node.js, the browser and the target')
    .example('$0 export k6 profiles/staging.yaml -o load.k6.js', 'The load gate as a k6 script (k6 cloud, k6-operator)')
    .example('$0 run profiles/staging.yaml --gates probes,security', 'Run two gates against staging')
    .example('$0 run staging.yaml -r junit=out/junit.xml -r md=out/summary.md -r json=out/run.json', 'Write all three reports')
    .example('$0 run staging.yaml -q -r json=-', 'The JSON report on standard output (the console on stderr)')
    .example('$0 run staging.yaml -r sarif=out/sg.sarif', 'Security findings for GitHub code scanning (upload-sarif)')
    .epilog(
      'Exit codes: 0 pass · 1 a gate failed · 2 bad profile or usage · 3 shipgate could not run (internal error, interrupted, undecided checks).\nProfiles interpolate ${VAR}, ${VAR:-default}, ${VAR:?message}; ${secret:VAR} values are redacted as *** in every output.',
    );
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const fast = await fastPath(args);
  if (fast !== undefined) return fast;
  await tuneV8();
  const [{ default: yargs }, { default: kleur }, { colorEnabled }, exportFormats] = await Promise.all([
    import('yargs'),
    import('kleur'),
    import('./color.js'),
    // The formats come from the gates' manifests: loaded only for the export command, so --help stays fast.
    args[0] === 'export' ? import('./commands/export.js').then((m) => m.EXPORT_FORMATS) : undefined,
  ]);
  kleur.enabled = colorEnabled();
  let exitCode = 0;
  const setExit: SetExit = (p) => p.then((c) => void (exitCode = c));
  const cli = yargs(args)
    .scriptName('shipgate')
    .usage(
      '$0 <command> [options]\n\nVerify a running deployment is fit to release: build, probes, security, auth, realtime and load gates, one verdict with evidence.',
    )
    .command([
      runCommand(setExit),
      mergeCommand(setExit),
      validateCommand(setExit),
      demoCommand(setExit),
      initCommand(setExit),
      exportCommand(setExit, exportFormats),
      doctorCommand(setExit),
      schemaCommand(setExit),
    ]);
  await withExamples(cli)
    .demandCommand(1, `Name a command: ${COMMAND_NAMES} (see --help)`)
    .strict()
    // "shipgate rn" → Did you mean run?; unknown flags are refused by strict() with the closest known one.
    .recommendCommands()
    .version(version)
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err, usageOf) => {
      if (err) throw err;
      process.stderr.write(
        `shipgate: ${withFlagSuggestions(msg, Object.keys((usageOf as unknown as { getDescriptions(): Record<string, unknown> }).getDescriptions()))}\nRun "shipgate --help" for usage.\n`,
      );
      process.exit(EXIT_USAGE);
    })
    .parseAsync();
  return exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
    // The reports are written: nothing may keep the process alive now (a browser launch that was still
    // starting at Ctrl-C, say). Playwright's and the process groups' exit hooks kill what is left.
    setTimeout(() => process.exit(code), 3_000).unref();
  },
  async (err: unknown) => {
    // The error carries its exit code; anything that does not is an internal error.
    process.exitCode = exitCodeOf(err);
    if (err instanceof UsageError) process.stderr.write(`${err.prefix}${err.message}\n`);
    else
      process.stderr.write(
        `shipgate: internal error: ${(err as Error)?.stack ?? err}\nPlease report this with the command you ran.\n`,
      );
  },
);
