/** PGlite's errors are not pg.DatabaseError instances but carry the SQLSTATE in `code`: test that. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
