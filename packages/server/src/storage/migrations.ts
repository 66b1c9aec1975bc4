import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './database.ts';

/**
 * Migrations live in code (not files on disk) so they travel with the package and run the
 * same on SQLite and PostgreSQL. Column types are chosen to mean the same on both:
 * bigint for epoch-ms timestamps, double precision for floats, text for JSON.
 */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  const migrations: Record<string, Migration> = {
    '0001_initial': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('api_keys')
          .addColumn('key_id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('key_hash', 'text', (c) => c.notNull().unique())
          .addColumn('key_prefix', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('revoked_at', 'bigint')
          .addColumn('last_used_at', 'bigint')
          .execute();

        await db.schema
          .createTable('namespaces')
          .addColumn('namespace_id', 'text', (c) => c.primaryKey())
          .addColumn('namespace_name', 'text', (c) => c.notNull().unique())
          .addColumn('description', 'text')
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('collections')
          .addColumn('collection_id', 'text', (c) => c.primaryKey())
          .addColumn('namespace_id', 'text', (c) => c.notNull().references('namespaces.namespace_id').onDelete('cascade'))
          .addColumn('collection_name', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('metadata', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('collections_name_unique', ['namespace_id', 'collection_name'])
          .execute();

        await db.schema
          .createTable('collection_vectors')
          .addColumn('collection_id', 'text', (c) => c.notNull().references('collections.collection_id').onDelete('cascade'))
          .addColumn('vector_name', 'text', (c) => c.notNull())
          .addColumn('dimensions', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('collection_vectors_pk', ['collection_id', 'vector_name'])
          .execute();

        await db.schema
          .createTable('documents')
          .addColumn('collection_id', 'text', (c) => c.notNull().references('collections.collection_id').onDelete('cascade'))
          .addColumn('document_id', 'text', (c) => c.notNull())
          .addColumn('namespace_id', 'text', (c) => c.notNull())
          .addColumn('metadata', 'text', (c) => c.notNull())
          .addColumn('features', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('documents_pk', ['collection_id', 'document_id'])
          .execute();

        await db.schema
          .createTable('document_vectors')
          .addColumn('collection_id', 'text', (c) => c.notNull())
          .addColumn('vector_name', 'text', (c) => c.notNull())
          .addColumn('document_id', 'text', (c) => c.notNull())
          .addColumn('vector', sql.raw(blob), (c) => c.notNull())
          .addPrimaryKeyConstraint('document_vectors_pk', ['collection_id', 'vector_name', 'document_id'])
          .addForeignKeyConstraint('document_vectors_document_fk', ['collection_id', 'document_id'], 'documents', ['collection_id', 'document_id'], (fk) => fk.onDelete('cascade'))
          .execute();
        await db.schema.createIndex('document_vectors_by_document').on('document_vectors').columns(['collection_id', 'document_id']).execute();

        await db.schema
          .createTable('import_rows')
          .addColumn('import_id', 'text', (c) => c.notNull())
          .addColumn('row_index', 'integer', (c) => c.notNull())
          .addColumn('document_id', 'text', (c) => c.notNull())
          .addColumn('metadata', 'text', (c) => c.notNull())
          .addColumn('features', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('import_rows_pk', ['import_id', 'row_index'])
          .execute();

        await db.schema
          .createTable('import_vectors')
          .addColumn('import_id', 'text', (c) => c.notNull())
          .addColumn('row_index', 'integer', (c) => c.notNull())
          .addColumn('vector_name', 'text', (c) => c.notNull())
          .addColumn('vector', sql.raw(blob), (c) => c.notNull())
          .addPrimaryKeyConstraint('import_vectors_pk', ['import_id', 'row_index', 'vector_name'])
          .execute();

        await db.schema
          .createTable('clusters')
          .addColumn('cluster_id', 'text', (c) => c.primaryKey())
          .addColumn('namespace_id', 'text', (c) => c.notNull().references('namespaces.namespace_id').onDelete('cascade'))
          .addColumn('cluster_name', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('config', 'text', (c) => c.notNull())
          .addColumn('metadata', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('last_executed_at', 'bigint')
          .addUniqueConstraint('clusters_name_unique', ['namespace_id', 'cluster_name'])
          .execute();

        await db.schema
          .createTable('executions')
          .addColumn('run_id', 'text', (c) => c.primaryKey())
          .addColumn('task_id', 'text', (c) => c.notNull().unique())
          .addColumn('cluster_id', 'text', (c) => c.notNull().references('clusters.cluster_id').onDelete('cascade'))
          .addColumn('namespace_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('in_flight_cluster_id', 'text', (c) => c.unique())
          .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('canceled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('num_clusters', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('num_points', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('silhouette_score', 'double precision')
          .addColumn('davies_bouldin_index', 'double precision')
          .addColumn('calinski_harabasz_score', 'double precision')
          .addColumn('silhouette_sample_size', 'integer')
          .addColumn('centroids', 'text')
          .addColumn('llm_labeling_errors', 'text')
          .addColumn('search_text', 'text', (c) => c.notNull())
          .addColumn('error_message', 'text')
          .addColumn('config', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('started_at', 'bigint')
          .addColumn('completed_at', 'bigint')
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('max_attempts', 'integer', (c) => c.notNull())
          .addColumn('run_after', 'bigint', (c) => c.notNull())
          .addColumn('lease_owner', 'text')
          .addColumn('lease_until', 'bigint')
          .execute();
        await db.schema.createIndex('executions_by_cluster_created').on('executions').columns(['cluster_id', 'created_at']).execute();
        await db.schema.createIndex('executions_claimable').on('executions').columns(['status', 'run_after']).execute();
        await db.schema.createIndex('executions_by_lease').on('executions').columns(['status', 'lease_until']).execute();

        await db.schema
          .createTable('execution_members')
          .addColumn('run_id', 'text', (c) => c.notNull().references('executions.run_id').onDelete('cascade'))
          .addColumn('member_index', 'integer', (c) => c.notNull())
          .addColumn('document_id', 'text', (c) => c.notNull())
          .addColumn('cluster_id', 'text', (c) => c.notNull())
          .addColumn('distance_to_centroid', 'double precision')
          .addPrimaryKeyConstraint('execution_members_pk', ['run_id', 'member_index'])
          .execute();
      },
    },
    '0002_execution_details': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('executions').addColumn('details', 'text').execute();
      },
    },
    '0003_member_coordinates': {
      // Map coordinates per member: x, y from the 2-D projection, x3, y3, z3 from the 3-D one
      // (UMAP's 3-D layout is not the 2-D one plus an axis). The index serves "nearest members of
      // a cluster" (representative documents) as a range scan.
      async up(db: Kysely<any>) {
        for (const column of ['x', 'y', 'x3', 'y3', 'z3']) {
          await db.schema.alterTable('execution_members').addColumn(column, 'double precision').execute();
        }
        await db.schema.createIndex('execution_members_by_cluster').on('execution_members').columns(['run_id', 'cluster_id', 'distance_to_centroid']).execute();
      },
    },
    '0004_label_cache': {
      // Generated cluster labels keyed by a hash of provider, model, prompt settings and samples.
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('label_cache')
          .addColumn('cache_key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('label_cache_by_expiry').on('label_cache').column('expires_at').execute();
      },
    },
    '0005_triggers': {
      // Triggers are rows with a next_fire_at that schedulers claim by compare-and-set; each fire is a history row.
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('cluster_triggers')
          .addColumn('trigger_id', 'text', (c) => c.primaryKey())
          .addColumn('namespace_id', 'text', (c) => c.notNull().references('namespaces.namespace_id').onDelete('cascade'))
          .addColumn('cluster_id', 'text', (c) => c.notNull().references('clusters.cluster_id').onDelete('cascade'))
          .addColumn('trigger_type', 'text', (c) => c.notNull())
          .addColumn('schedule_config', 'text', (c) => c.notNull())
          .addColumn('execution_config', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('status_reason', 'text')
          .addColumn('description', 'text')
          .addColumn('created_by', 'text')
          .addColumn('next_fire_at', 'bigint')
          .addColumn('last_triggered_at', 'bigint')
          .addColumn('last_execution_job_id', 'text')
          .addColumn('last_execution_status', 'text')
          .addColumn('last_execution_error', 'text')
          .addColumn('execution_count', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('event_counter', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('baseline_at', 'bigint', (c) => c.notNull())
          .addColumn('baseline_count', 'bigint')
          .addColumn('last_cooldown_at', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('deleted_at', 'bigint')
          .execute();
        await db.schema.createIndex('cluster_triggers_due').on('cluster_triggers').columns(['status', 'next_fire_at']).execute();
        await db.schema.createIndex('cluster_triggers_by_namespace').on('cluster_triggers').columns(['namespace_id', 'created_at']).execute();
        await db.schema
          .createTable('trigger_fires')
          .addColumn('fire_id', 'text', (c) => c.primaryKey())
          .addColumn('trigger_id', 'text', (c) => c.notNull().references('cluster_triggers.trigger_id').onDelete('cascade'))
          .addColumn('cluster_id', 'text', (c) => c.notNull())
          .addColumn('run_id', 'text')
          .addColumn('task_id', 'text')
          .addColumn('triggered_at', 'bigint', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('error', 'text')
          .addColumn('execution_time_ms', 'bigint')
          .addColumn('num_clusters', 'integer')
          .addColumn('num_documents', 'integer')
          .execute();
        await db.schema.createIndex('trigger_fires_by_trigger').on('trigger_fires').columns(['trigger_id', 'triggered_at']).execute();
        await db.schema.createIndex('trigger_fires_by_status').on('trigger_fires').columns(['status']).execute();
        // Event triggers count a collection's documents created after a time, every tick.
        await db.schema.createIndex('documents_by_collection_created').on('documents').columns(['collection_id', 'created_at']).execute();
      },
    },
  };
  return { getMigrations: async () => migrations };
}
