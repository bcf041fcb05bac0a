import { fixedClock } from '../../util/clock.js';
import { runStorageConformance } from '../conformance.js';
import { createMemoryStorage } from './index.js';

runStorageConformance('memory', async () => {
  const clock = fixedClock(0);
  return { storage: createMemoryStorage({ clock }), clock };
});
