/** The call-list page reads its list again on this key (after a reconnect, and now and then). */
export const CALL_LIST_KEY = 'app:call-list';
