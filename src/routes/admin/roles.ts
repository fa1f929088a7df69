/** Words for the contract's roles, and what each may do, for the admin pages. */
export const roleLabels: Record<string, string> = {
	admin: 'Administrator',
	state_officer: 'State officer',
	district_officer: 'District officer',
	secretary: 'Health secretary',
	helpdesk: 'Help desk'
};

export const roleHints: Record<string, string> = {
	admin: 'Everything, including people and API tokens.',
	state_officer: 'Runs the day state-wide: site modes, call lists, alerts; reads the audit log.',
	district_officer: 'The same as a state officer, for their districts only.',
	secretary: 'Reads progress and reviews; changes nothing.',
	helpdesk: 'Takes complaints; sees the live picture; cannot switch site modes.'
};
