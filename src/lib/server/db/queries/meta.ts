import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { appMeta } from '../schema';

export async function getMeta(db: Db, key: string): Promise<string | null> {
	const [row] = await db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, key));
	return row?.value ?? null;
}

export async function setMeta(db: Db, key: string, value: string): Promise<void> {
	await db
		.insert(appMeta)
		.values({ key, value })
		.onConflictDoUpdate({ target: appMeta.key, set: { value } });
}
