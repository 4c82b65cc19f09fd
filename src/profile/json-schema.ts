// The profile's JSON Schema, generated from the zod schemas, for editors (yaml-language-server).
import { z } from 'zod';
import { profileSchema } from './schema.js';

export function profileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(profileSchema(), { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return {
    $schema: schema.$schema,
    title: 'shipgate profile',
    description: 'A shipgate target profile: the deployment under test and the release gates to run against it.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

export function renderProfileJsonSchema(): string {
  return JSON.stringify(profileJsonSchema(), null, 2) + '\n';
}
