// zod with .openapi(): import `z` from here (not from 'zod') so the extension is in place
// before any schema is built.
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
export { ZodError, type ZodType } from 'zod';
