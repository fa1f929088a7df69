// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		// interface Error {}
		interface Locals {
			/** The signed-in person, or null; set by the handle hook on every request. */
			user: SessionUser | null;
		}
		// interface PageData {}
		interface PageState {
			/** The district open beside the overview's map (shallow routing to /districts/CODE). */
			district?: string;
		}
		// interface Platform {}
	}
}

export {};
