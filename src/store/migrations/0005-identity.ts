import type { Kysely, Migration } from 'kysely';

/**
 * Identity: users (with a verifier's entities), web sessions, API keys, and the signed-in
 * reporter of a report. Entity IDs are plain strings: the entity registry is another capability
 * and a user may be linked to an entity before it is imported.
 */
export const identity: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('platform', 'text')
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('disabled_at', 'text')
      .addColumn('last_login_at', 'text')
      .execute();
    await db.schema
      .createTable('user_entities')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_entities_pk', ['user_id', 'entity_id'])
      .execute();
    await db.schema
      .createIndex('user_entities_entity_idx')
      .on('user_entities')
      .columns(['entity_id'])
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('sessions_user_idx').on('sessions').columns(['user_id']).execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('platform', 'text')
      .addColumn('key_hash', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createTable('api_key_entities')
      .addColumn('api_key_id', 'text', (c) => c.notNull().references('api_keys.id'))
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('api_key_entities_pk', ['api_key_id', 'entity_id'])
      .execute();

    await db.schema.alterTable('reports').addColumn('reporter_user_id', 'text').execute();
    await db.schema
      .createIndex('reports_reporter_idx')
      .on('reports')
      .columns(['reporter_user_id', 'received_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('reports_reporter_idx').execute();
    await db.schema.alterTable('reports').dropColumn('reporter_user_id').execute();
    for (const table of ['api_key_entities', 'api_keys', 'sessions', 'user_entities', 'users']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
