import { bigserial, customType, index, pgTable, timestamp } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * Messages between nodes that do not fit in a NOTIFY (over 8,000 bytes), written and read
 * by the Socket.IO PostgreSQL adapter, which deletes them after 30 s. The table name and
 * columns are the adapter's.
 */
export const socketIoAttachments = pgTable(
	'socket_io_attachments',
	{
		id: bigserial({ mode: 'number' }).unique(),
		createdAt: timestamp({ withTimezone: true }).defaultNow(),
		payload: bytea()
	},
	(t) => [index().on(t.createdAt)]
);
