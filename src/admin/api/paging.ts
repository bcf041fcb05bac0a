/** How every list of the admin API pages: `?limit=&cursor=` in, `{ items, next_cursor }` out. */
import type { ListOptions, Page } from '../../storage/types.js';

/** The store's paging options for the query's `limit` and `cursor`. */
export function listOptions(query: { limit: number; cursor?: string | undefined }): ListOptions {
  return { limit: query.limit, ...(query.cursor === undefined ? {} : { after: query.cursor }) };
}

/** A store page as the API answers it, each item shown with `show`. */
export function pageView<T, V>(page: Page<T>, show: (item: T) => V): { items: V[]; next_cursor?: string } {
  return { items: page.items.map(show), ...(page.next === undefined ? {} : { next_cursor: page.next }) };
}
