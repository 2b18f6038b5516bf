import { DataSource } from 'typeorm';

/**
 * A DataSource with one hook around metadata building: `afterMetadataBuilt()` runs inside
 * `initialize()`, after TypeORM built and validated the entity metadata and before it synchronizes
 * or runs migrations. The driver is connected by then, so the hook may query the server.
 *
 * Touch point: the protected `DataSource#buildMetadatas()`, which `initialize()` calls after
 * `driver.connect()` and before `synchronize()`/`runMigrations()`.
 *
 * @example
 * class MyDataSource extends DataSourceWithMetadataHook {
 *   protected async afterMetadataBuilt() { console.log(this.entityMetadatas.length); }
 * }
 */
export abstract class DataSourceWithMetadataHook extends DataSource {
  /** Runs before TypeORM builds metadata (the driver is connected). */
  protected abstract beforeMetadataBuilt(): Promise<void>;
  /** Runs once the metadata is built and validated. */
  protected abstract afterMetadataBuilt(): Promise<void>;

  protected override async buildMetadatas(): Promise<void> {
    await this.beforeMetadataBuilt();
    await super.buildMetadatas();
    await this.afterMetadataBuilt();
  }
}
