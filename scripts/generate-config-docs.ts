// Prints docs/configuration.md, generated from the configuration schema: npm run docs:config
import { renderConfigDocs } from '../src/core/config-docs.js';

process.stdout.write(renderConfigDocs());
