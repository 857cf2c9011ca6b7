-- Parameters and vocabularies of {{Partnership infobox}}, as plain data.
--
-- Loaded with mw.loadData by Module:Partnership infobox. The order of the groups and of the
-- parameters inside them is the contract order; the bot's parser (bot/parse.py), this table and
-- the TemplateData on Template:Partnership infobox/doc must agree (a test checks it).
--
-- kind says how a value is shown and checked:
--   text     free wikitext, shown as written
--   enum     one value of the vocabulary named by vocab
--   enums    a comma-separated list of values of the vocabulary named by vocab
--   date     YYYY-MM-DD or YYYY-MM
--   users    a comma-separated list of user names, linked to their user pages
--   url      an external address
--   qid      a Wikidata item id (Q123)
--   commons  a Commons category name
--   number   a whole number
--   list     a comma-separated list of plain values
--   flags    a comma-separated list of warning flag ids (labels come from the findings data)
--   yesno    yes or no (see booleans below for the words accepted)
-- Parameters of a group marked hidden are read but not shown as rows.

return {
	groups = {
		{
			id = 'identity',
			label = 'Partnership',
			params = {
				{ name = 'name', label = 'Name', kind = 'text' },
				{ name = 'partner', label = 'Partner', kind = 'text' },
				{ name = 'partner_type', label = 'Kind of partner', kind = 'enum', vocab = 'partner_type' },
				{ name = 'partner_qid', label = 'Wikidata item', kind = 'qid' },
				{ name = 'partner_website', label = 'Website', kind = 'url' },
				{ name = 'affiliate', label = 'Affiliate', kind = 'text' },
				{ name = 'led_by', label = 'Led by', kind = 'enum', vocab = 'led_by' },
				{ name = 'type', label = 'Partnership type', kind = 'enums', vocab = 'type' },
				{ name = 'scope', label = 'Scope', kind = 'enum', vocab = 'scope' },
				{ name = 'country', label = 'Country', kind = 'text' },
			},
		},
		{
			id = 'lifecycle',
			label = 'Stage and dates',
			params = {
				{ name = 'status', label = 'Status', kind = 'enum', vocab = 'status' },
				{ name = 'first_contact', label = 'First contact', kind = 'date' },
				{ name = 'last_contact', label = 'Last contact', kind = 'date' },
				{ name = 'next_step', label = 'Next step', kind = 'text' },
				{ name = 'next_step_date', label = 'Next step due', kind = 'date' },
				{ name = 'start_date', label = 'Start date', kind = 'date' },
				{ name = 'end_date', label = 'End date', kind = 'date' },
			},
		},
		{
			id = 'substance',
			label = 'Goals and benefits',
			params = {
				{ name = 'goals', label = 'Goals', kind = 'text' },
				{ name = 'benefit_wikimedia', label = 'Benefit to Wikimedia', kind = 'text' },
				{ name = 'benefit_partner', label = 'Benefit to the partner', kind = 'text' },
				{ name = 'partner_contribution', label = 'Partner brings', kind = 'text' },
				{ name = 'wikimedia_contribution', label = 'Wikimedia brings', kind = 'text' },
			},
		},
		{
			id = 'people',
			label = 'People',
			params = {
				{ name = 'contact_wikimedia', label = 'Wikimedia contacts', kind = 'users' },
				{ name = 'contact_partner', label = 'Partner contact', kind = 'text' },
				{ name = 'volunteers', label = 'Volunteers', kind = 'text' },
				{ name = 'community_support', label = 'Community support', kind = 'text' },
			},
		},
		{
			id = 'agreement',
			label = 'Agreement',
			params = {
				{ name = 'agreement', label = 'Form of agreement', kind = 'enum', vocab = 'agreement' },
				{ name = 'agreement_date', label = 'Agreed on', kind = 'date' },
				{ name = 'agreement_renewal', label = 'Renewal due', kind = 'date' },
				{ name = 'money_exchanged', label = 'Money exchanged', kind = 'yesno' },
			},
		},
		{
			id = 'content',
			label = 'Content',
			params = {
				{ name = 'license', label = 'Licence', kind = 'text' },
				{ name = 'commons_category', label = 'Commons category', kind = 'commons' },
				{ name = 'commons_depth', label = 'Category depth', kind = 'number' },
				{ name = 'link_domains', label = 'Linked domains', kind = 'list' },
				{ name = 'projects', label = 'Projects', kind = 'list' },
			},
		},
		{
			id = 'evaluation',
			label = 'Evaluation',
			params = {
				{ name = 'evaluation', label = 'Evaluation methods', kind = 'enums', vocab = 'evaluation' },
				{ name = 'last_review', label = 'Last review', kind = 'date' },
				{ name = 'next_review', label = 'Next review', kind = 'date' },
				{ name = 'announcement', label = 'Announcement', kind = 'text' },
				{ name = 'report', label = 'Report', kind = 'text' },
			},
		},
		{
			id = 'risk',
			label = 'Risks',
			params = {
				{ name = 'coi', label = 'Conflicts of interest', kind = 'text' },
				{ name = 'flags', label = 'Warning flags', kind = 'flags' },
				{ name = 'exit_plan', label = 'Exit plan', kind = 'text' },
				{ name = 'wmf_informed', label = 'Foundation informed', kind = 'yesno' },
				{ name = 'affiliates_informed', label = 'Affiliates informed', kind = 'yesno' },
				{ name = 'decline_reason', label = 'Why it ended', kind = 'text' },
			},
		},
		{
			id = 'bot',
			label = 'Bot control',
			hidden = true,
			params = {
				{ name = 'notices', label = 'Notices', kind = 'yesno' },
				{ name = 'bot', label = 'Bot checks', kind = 'yesno' },
			},
		},
	},

	-- Each vocabulary lists { value, human label } in a fixed order (bot/model.py has the same
	-- values). Values are matched case-insensitively, with spaces or hyphens read as underscores.
	vocabularies = {
		partner_type = {
			{ 'glam', 'Gallery, library, archive or museum' },
			{ 'education', 'Education' },
			{ 'research', 'Research' },
			{ 'government', 'Government' },
			{ 'nonprofit', 'Non-profit' },
			{ 'company', 'Company' },
			{ 'publisher', 'Publisher' },
			{ 'media', 'Media' },
			{ 'network', 'Network' },
			{ 'individual', 'Individual' },
			{ 'other', 'Other' },
		},
		led_by = {
			{ 'affiliate', 'Affiliate' },
			{ 'foundation', 'Wikimedia Foundation' },
			{ 'individual', 'Individual volunteer' },
		},
		type = {
			{ 'content_donation', 'Content donation' },
			{ 'distribution', 'Distribution' },
			{ 'access', 'Access' },
			{ 'outreach', 'Outreach' },
			{ 'recruitment', 'Recruitment' },
			{ 'in_kind', 'In-kind support' },
			{ 'funding', 'Funding' },
			{ 'advocacy', 'Advocacy' },
			{ 'residency', 'Residency' },
			{ 'technology', 'Technology' },
			{ 'recognition', 'Recognition' },
			{ 'umbrella', 'Umbrella' },
			{ 'collective_impact', 'Collective impact' },
			{ 'other', 'Other' },
		},
		scope = {
			{ 'local', 'Local' },
			{ 'national', 'National' },
			{ 'regional', 'Regional' },
			{ 'international', 'International' },
		},
		status = {
			{ 'prospect', 'Prospect' },
			{ 'researching', 'Researching' },
			{ 'contacted', 'Contacted' },
			{ 'negotiating', 'Negotiating' },
			{ 'agreed', 'Agreed' },
			{ 'active', 'Active' },
			{ 'on_hold', 'On hold' },
			{ 'concluded', 'Concluded' },
			{ 'declined', 'Declined' },
			{ 'terminated', 'Terminated' },
		},
		agreement = {
			{ 'none', 'None' },
			{ 'email', 'Email' },
			{ 'letter', 'Letter' },
			{ 'mou', 'Memorandum of understanding' },
			{ 'contract', 'Contract' },
			{ 'grant', 'Grant' },
		},
		evaluation = {
			{ 'checkins', 'Regular check-ins' },
			{ 'debrief', 'Debrief' },
			{ 'survey', 'Satisfaction survey' },
			{ 'mou_review', 'Agreement review' },
			{ 'metrics', 'Metrics' },
		},
	},

	-- Words read as yes or no (after the same normalising as vocabulary values), as the bot reads them.
	booleans = {
		yes = true, y = true, ['true'] = true, ['1'] = true,
		no = false, n = false, ['false'] = false, ['0'] = false,
	},

	-- Parameters that must not be empty; name and partner count as one (either will do).
	required = { 'status', 'type' },
	requiredOneOf = { 'name', 'partner' },

	-- Background colour of the status line, by status value.
	statusColours = {
		prospect = '#eaecf0',
		researching = '#eaecf0',
		contacted = '#eaf3ff',
		negotiating = '#eaf3ff',
		agreed = '#d5fdf4',
		active = '#d5fdf4',
		on_hold = '#fef6e7',
		concluded = '#eaecf0',
		declined = '#eaecf0',
		terminated = '#fee7e6',
	},

	severities = {
		error = { label = 'Error', colour = '#d73333' },
		warning = { label = 'Warning', colour = '#ac6600' },
		info = { label = 'Note', colour = '#36c' },
	},
}
