// JUnit attachments as GitLab and Jenkins read them (issue 18 item 5): both resolve a relative
// [[ATTACHMENT|path]] from the project folder ($CI_PROJECT_DIR, the Jenkins workspace), not from the report's
// folder, and GitLab shows only the first one, so it must be B's screenshot, the one that shows the miss.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { attachmentBase, renderJunit } from '../../src/report/junit.js';
import type { RunResult } from '../../src/result.js';
import { runCli } from '../helpers/cli.js';

test("a realtime miss, report in out/: the first attachment is B's screenshot at a path GitLab finds from the project folder", async () => {
  const project = mkdtempSync(join(tmpdir(), 'shipgate-gitlab-project-'));
  const r = await runCli(['demo', '--gates', 'realtime', '--flaws', 'realtime-no-broadcast', '-r', 'junit=out/junit.xml'], {
    cwd: project,
    env: { CI_PROJECT_DIR: project, JENKINS_URL: undefined, WORKSPACE: undefined },
  });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const junit = readFileSync(join(project, 'out/junit.xml'), 'utf8');
  const attachments = [...junit.matchAll(/\[\[ATTACHMENT\|([^\]]+)\]\]/g)].map((m) => m[1]);
  assert.ok(attachments.length >= 2, junit);
  assert.match(attachments[0], /^out\/realtime-sync-B\.png$/);
  // GitLab's and Jenkins' own resolution: the project folder joined with the path.
  for (const a of attachments) assert.ok(existsSync(join(project, a)), `${a} is not in the project folder`);
});

test('the folder attachments are relative to: $CI_PROJECT_DIR, then the Jenkins workspace, then the working folder', () => {
  assert.equal(attachmentBase({ CI_PROJECT_DIR: '/builds/group/app', WORKSPACE: '/ws' }), '/builds/group/app');
  assert.equal(attachmentBase({ JENKINS_URL: 'http://jenkins.local/', WORKSPACE: '/var/jenkins/ws/app' }), '/var/jenkins/ws/app');
  // A WORKSPACE variable outside Jenkins means nothing to a consumer.
  assert.equal(attachmentBase({ WORKSPACE: '/elsewhere' }), process.cwd());
});

test('an attachment outside that folder stays absolute (Jenkins still reads it; ../ would reach nothing)', () => {
  const result: RunResult = {
    schemaVersion: 1,
    tool: { name: 'shipgate', version: 't' },
    profile: { name: 'p', path: 'p.yaml' },
    target: { baseUrl: 'https://x.test' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    verdict: 'fail',
    failOn: 'fail',
    gates: [
      {
        id: 'realtime',
        title: 'Realtime',
        status: 'fail',
        durationMs: 1,
        checks: [
          {
            id: 'realtime.sync',
            title: 'Sync',
            status: 'fail',
            severity: 'high',
            message: 'B never saw it',
            durationMs: 1,
            evidence: { attachments: ['/builds/app/out/realtime-sync-B.png', '/tmp/shots/realtime-sync-A.png'] },
          },
        ],
      },
    ],
  };
  const xml = renderJunit(result, '/builds/app');
  assert.match(xml, /\[\[ATTACHMENT\|out\/realtime-sync-B\.png\]\]\n\[\[ATTACHMENT\|\/tmp\/shots\/realtime-sync-A\.png\]\]/);
});
