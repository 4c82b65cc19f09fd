import { renderProfileJsonSchema } from '../profile/json-schema.js';

export async function schemaCommand(): Promise<number> {
  process.stdout.write(renderProfileJsonSchema());
  return 0;
}
