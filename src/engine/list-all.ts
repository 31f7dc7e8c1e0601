import type { RecordStore, StoredRecord } from '../ports/record-store.js';

const PAGE = 500;

/**
 * Every record of `kind` matching `where`, in id order, fetched a page at a time however many
 * there are. For work that must not stop at the first page (ending all of a user's sessions).
 */
export async function* listAll(
  store: Pick<RecordStore, 'list'>,
  kind: string,
  where: Readonly<Record<string, string>>,
): AsyncGenerator<StoredRecord> {
  for (let after: string | undefined; ;) {
    const page = await store.list(kind, { where, limit: PAGE, ...(after === undefined ? {} : { after }) });
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.id;
  }
}
