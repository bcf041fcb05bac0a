/** An upstream provider's id: it names the provider in its callback URL (`{issuer}/upstream/{id}/callback`) and in clients' `allowed_upstreams`. */
export const UPSTREAM_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
