import { createContext } from 'svelte';
import type { LiveStore } from './live-store.svelte';

/** The one live feed of a signed-in page, provided by the root layout. */
export const [getLiveStore, setLiveStore] = createContext<LiveStore>();
