import type { Queryable } from '@relai/db';

/**
 * Platforms retry deliveries they think failed. Recording the delivery id first makes the second copy
 * a no-op; if enqueueing then fails, `forget` lets the platform's retry through.
 */
export async function claimDelivery(db: Queryable, tenantId: string, provider: string, deliveryId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'INSERT INTO webhook_deliveries (tenant_id, provider, delivery_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [tenantId, provider, deliveryId],
  );
  return rowCount === 1;
}

export async function forgetDelivery(db: Queryable, tenantId: string, provider: string, deliveryId: string): Promise<void> {
  await db.query('DELETE FROM webhook_deliveries WHERE tenant_id = $1 AND provider = $2 AND delivery_id = $3', [tenantId, provider, deliveryId]);
}
