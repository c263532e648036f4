// Cucumber configuration. TypeScript runs through tsx (NODE_OPTIONS=--import tsx, set by
// bin/with-database.ts); settings come from the one config module; reports go to reports/.
//
// Profiles pick the scenarios and the interface tasks and questions are performed through
// (features/support/screenplay.ts); `npm test` runs the first two, one after the other:
//   default            the @api scenarios, through the API (world parameter interface: 'api')   npm run test:features
//   --profile ui       the @ui scenarios, through the pages in Chromium (interface: 'ui')       npm run test:ui
//   --profile screenshots  the @screenshot scenarios, through the pages, their screens written to
//                      docs/screenshots/ (the README's pictures)                                npm run screenshots
import { loadConfig } from './kernel/config.ts';

const common = {
  paths: ['features/**/*.feature'],
  import: ['features/support/**/*.ts', 'step-definitions/**/*.ts'],
  parallel: loadConfig().testWorkers,
  strict: true,
};
const reports = (name) => ['progress', `html:reports/${name}.html`, `junit:reports/${name}.junit.xml`, `message:reports/${name}.ndjson`];

export default { ...common, format: reports('cucumber'), tags: '@api', worldParameters: { interface: 'api' } };

export const ui = { ...common, format: reports('cucumber-ui'), tags: '@ui', worldParameters: { interface: 'ui' } };

export const screenshots = { ...common, format: ['progress'], tags: '@screenshot', worldParameters: { interface: 'ui', screenshots: 'docs/screenshots' } };
