import type { ClientDisplay } from '../interaction/pages.js';

/** The client's name as a page names it. */
export function clientName(client: ClientDisplay): string {
  return client.client_name ?? client.client_id;
}

/** The client's logo, when it registered one (shown without alt text: the name follows it). */
export function ClientLogo(props: { client: ClientDisplay }) {
  return props.client.logo_uri ? <img class="logo" src={props.client.logo_uri} alt="" /> : null;
}
