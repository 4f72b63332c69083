import { buildWeb } from '../../scripts/build-web';

/** The pages are bundled once per run, into dist/web as `npm run build` does. */
export default async function setup(): Promise<void> {
  await buildWeb();
}
