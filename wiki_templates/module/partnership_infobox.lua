-- Module:Partnership infobox
--
-- Renders {{Partnership infobox}}: a table of the partnership's fields with human labels,
-- tracking categories by status and type, a maintenance category when something needs fixing,
-- and the checklist: the bot's findings for this infobox when the bot checked these very values,
-- else the checks the infobox makes itself on the current text (Module:Partnership
-- infobox/judge), with the bot's findings for the earlier revision folded away.
--
-- The template is a thin wrapper: {{#invoke:Partnership infobox|main}}. The infobox parameters
-- are read from the template call (the parent frame). Two optional arguments of the #invoke set
-- up a wiki:
--   findings=   title of the findings data page the bot writes
--               (default: Module:Partnership infobox/findings.json)
--   namespaces= comma-separated namespace numbers in which pages are categorised (default: 0)
--
-- The parameters, vocabularies and instant rules are generated data, in Module:Partnership
-- infobox/data; what the infobox says is in Module:Partnership infobox/messages.

local p = {}

local DATA_MODULE = 'Module:Partnership infobox/data'
local checklist = require('Module:Partnership infobox/checklist')
local judge = require('Module:Partnership infobox/judge')
local externalLink, isSafeUrl = checklist.externalLink, checklist.isSafeUrl
local DEFAULT_FINDINGS_PAGE = 'Module:Partnership infobox/findings.json'
local DEFAULT_NAMESPACES = '0'

local BORDER = '#a2a9b1'
local HEADING_BACKGROUND = '#eaecf0'
local PROBLEM_COLOUR = '#d73333'
local NOTE_COLOUR = '#54595d'

local function splitList(value)
	local items = {}
	for _, item in ipairs(mw.text.split(value, ',', true)) do
		item = mw.text.trim(item)
		if item ~= '' then
			table.insert(items, item)
		end
	end
	return items
end

--- Return value marked as needing attention.
local function marked(value)
	return tostring(mw.html.create('span')
		:addClass('partnership-infobox-problem')
		:css('color', PROBLEM_COLOUR)
		:wikitext(value))
end

-- Value renderers: each returns the wikitext to show for a non-empty value. --------------------

local render = {}

function render.text(value)
	return value
end

function render.link(value)
	if isSafeUrl(value) then
		local label = string.gsub(string.gsub(value, '^https?://', ''), '/$', '')
		return externalLink(value, label)
	end
	return value
end

function render.enum(value, name, context)
	local found = context.record.values[name]
	if found then
		return mw.text.nowiki(context.msg('partnerbot-infobox-value-' .. name .. '-' .. found))
	end
	return marked(mw.text.nowiki(value))
end

render['enum list'] = function (value, name, context)
	local shown = {}
	for _, item in ipairs(splitList(value)) do
		local found = judge.member(context.data, name, item)
		if found then
			table.insert(shown, mw.text.nowiki(context.msg('partnerbot-infobox-value-' .. name .. '-' .. found)))
		else
			table.insert(shown, marked(mw.text.nowiki(item)))
		end
	end
	return table.concat(shown, ', ')
end

function render.users(value)
	local shown = {}
	for _, item in ipairs(splitList(value)) do
		local name = mw.text.trim((string.gsub(item, '^[Uu]ser:', '')))
		local title = name ~= '' and not string.find(name, '[%[%]{}|#<>]') and mw.title.new(name, 'User')
		if title then
			table.insert(shown, '[[' .. title.prefixedText .. '|' .. mw.text.nowiki(name) .. ']]')
		else
			table.insert(shown, mw.text.nowiki(item))
		end
	end
	return table.concat(shown, ', ')
end

function render.qid(value, name, context)
	local qid = mw.ustring.upper(value)
	if string.match(qid, '^Q[1-9]%d*$') then
		return externalLink('https://www.wikidata.org/wiki/' .. qid, qid)
	end
	return context.problems[name] and marked(mw.text.nowiki(value)) or value
end

function render.category(value)
	local name = mw.text.trim((string.gsub(value, '^[Cc]ategory:', '')))
	if name == '' or string.find(name, '[%[%]{}|#<>]') then
		return mw.text.nowiki(value)
	end
	local url = 'https://commons.wikimedia.org/wiki/Category:' .. mw.uri.encode(name, 'WIKI')
	return externalLink(url, name)
end

local function checked(value, name, context)
	return context.problems[name] and marked(mw.text.nowiki(value)) or mw.text.nowiki(value)
end

render.date = checked
render.count = checked
render.domains = checked

function render.items(value)
	return table.concat(splitList(value), ', ')
end

function render.flags(value, _, context)
	local shown = {}
	for _, item in ipairs(splitList(value)) do
		local id = judge.flagId(context.data, item)
		if judge.isFlag(context.data, id) then
			local span = mw.html.create('span')
				:attr('title', context.msg('partnerbot-checklist-flag-' .. id .. '-explanation'))
				:wikitext(mw.text.nowiki(context.msg('partnerbot-checklist-flag-' .. id .. '-label')))
			table.insert(shown, tostring(span))
		else
			table.insert(shown, marked(mw.text.nowiki(item)))
		end
	end
	return table.concat(shown, ', ')
end

function render.boolean(value, name, context)
	local answer = context.record.values[name]
	if answer == nil then
		return marked(mw.text.nowiki(value))
	end
	return mw.text.nowiki(context.msg(answer and 'partnerbot-infobox-yes' or 'partnerbot-infobox-no'))
end

-- The infobox ------------------------------------------------------------------------------------

local function categoryNamespaces(spec)
	local allowed = {}
	for _, item in ipairs(splitList(spec or DEFAULT_NAMESPACES)) do
		local number = tonumber(item)
		if number then
			allowed[number] = true
		end
	end
	return allowed
end

local function addHeading(root, label)
	root:tag('tr'):tag('th')
		:attr('colspan', 2)
		:css('background-color', HEADING_BACKGROUND)
		:css('text-align', 'center')
		:css('padding', '0.2em 0.4em')
		:wikitext(mw.text.nowiki(label))
end

local function addRow(root, label, value, background)
	local row = root:tag('tr')
	row:tag('th')
		:attr('scope', 'row')
		:css('text-align', 'left')
		:css('vertical-align', 'top')
		:css('padding', '0.2em 0.4em')
		:css('width', '40%')
		:wikitext(mw.text.nowiki(label))
	local cell = row:tag('td'):css('vertical-align', 'top'):css('padding', '0.2em 0.4em')
	if background then
		cell:css('background-color', background)
	end
	cell:wikitext(value)
end

--- Add a heading and rows for each group with filled-in parameters.
local function addFields(root, context)
	local data, msg = context.data, context.msg
	for _, group in ipairs(data.groups) do
		local rows = {}
		for _, name in ipairs(group.hidden and {} or group.params) do
			local value = context.record.raw[name] or ''
			-- The name is the infobox's caption; it is not repeated as a row.
			if value ~= '' and name ~= 'name' then
				local shown = render[data.params[name].kind](value, name, context)
				local background = name == 'status' and data.statusColours[context.record.values.status or '']
				table.insert(rows, { msg('partnerbot-infobox-param-' .. name .. '-label'), shown, background or nil })
			end
		end
		if #rows > 0 then
			addHeading(root, msg('partnerbot-infobox-group-' .. group.id))
			for _, row in ipairs(rows) do
				addRow(root, row[1], row[2], row[3])
			end
		end
	end
end

local function addNote(root, text, colour)
	root:tag('tr'):tag('td')
		:attr('colspan', 2)
		:css('font-size', '90%')
		:css('color', colour)
		:wikitext(mw.text.nowiki(text))
end

--- Add a list of findings to box; return the list element.
local function findingList(box, findings, context, class)
	local list = box:tag('ul'):addClass(class)
	for _, finding in ipairs(findings) do
		list:node(checklist.findingItem(finding, context))
	end
	return list
end

--- Add the bot's findings of record (its score, then the findings, open).
local function addBotFindings(cell, record, findings, context)
	local msg = context.msg
	local score = type(record.s) == 'table' and record.s or {}
	local passed, applicable = tonumber(score[1]) or 0, tonumber(score[2]) or 0
	local box = cell:tag('div'):addClass('partnership-infobox-findings')
	local summary = applicable > 0 and msg('partnerbot-infobox-checks-passed', passed, applicable) or msg('partnerbot-infobox-checked')
	box:tag('b'):wikitext(mw.text.nowiki(summary))
	local omitted = tonumber(record.x) or 0
	if #findings == 0 and omitted == 0 then
		box:wikitext(' · ' .. mw.text.nowiki(msg('partnerbot-infobox-nothing-to-report')))
		return box
	end
	box:addClass('mw-collapsible')
	box:wikitext(' · ' .. mw.text.nowiki(msg('partnerbot-infobox-to-look-at', #findings + omitted)))
	local list = findingList(box:tag('div'):addClass('mw-collapsible-content'), findings, context,
		'partnership-infobox-bot-findings')
	if omitted > 0 then
		list:tag('li'):wikitext(mw.text.nowiki(msg('partnerbot-infobox-more-findings', omitted)))
	end
	return box
end

--- Add the infobox's own checks of the current text.
local function addInstantFindings(cell, findings, context)
	local msg = context.msg
	local box = cell:tag('div'):addClass('partnership-infobox-instant')
	box:tag('b'):wikitext(mw.text.nowiki(msg('partnerbot-infobox-instant-heading')))
	if #findings == 0 then
		box:wikitext(' · ' .. mw.text.nowiki(msg('partnerbot-infobox-instant-none')))
	else
		findingList(box, findings, context, 'partnership-infobox-instant-findings')
	end
	box:tag('div'):css('color', NOTE_COLOUR):wikitext(mw.text.nowiki(msg('partnerbot-infobox-instant-note')))
end

--- Add the checklist section; return the findings shown (bot's or instant).
local function addChecklist(root, options, context)
	local msg, data = context.msg, context.data
	local index, page = checklist.load(options.findings or DEFAULT_FINDINGS_PAGE,
		options.title.prefixedText, data.hashModulus)
	context.sources = index and index.sources or data.sources
	local record, current = nil, false
	if page then
		record, current = checklist.pick(page, context.args, data)
	end
	local revision = record and tonumber(page.r) and string.format('%d', page.r) or nil
	root:attr('data-checked-revision', revision or '')
	addHeading(root, msg('partnerbot-infobox-checklist-heading'))
	local cell = root:tag('tr'):tag('td'):attr('colspan', 2):css('font-size', '90%')
	local botFindings = record and checklist.botFindings(index, record) or {}
	local shown = botFindings
	if record and current then
		addBotFindings(cell, record, botFindings, context)
	else
		local note = record and (revision and msg('partnerbot-infobox-changed-since', revision)
			or msg('partnerbot-infobox-changed-since-unknown-revision')) or msg('partnerbot-infobox-not-checked')
		cell:tag('div'):tag('i'):wikitext(mw.text.nowiki(note))
		shown = context.instant
		addInstantFindings(cell, context.instant, context)
		if record then
			local earlier = cell:tag('div'):addClass('mw-collapsible mw-collapsed')
			earlier:tag('b'):wikitext(mw.text.nowiki(msg('partnerbot-infobox-earlier-findings')))
			addBotFindings(earlier:tag('div'):addClass('mw-collapsible-content'), record, botFindings, context)
		end
	end
	if record and type(index.updated) == 'string' and index.updated ~= '' then
		local checkedOn = revision and msg('partnerbot-infobox-checked-on', index.updated, revision)
			or msg('partnerbot-infobox-checked-on-unknown-revision', index.updated)
		cell:tag('div'):css('color', NOTE_COLOUR):wikitext(mw.text.nowiki(checkedOn))
	end
	return shown
end

--- Add the usage figures the bot collected for this infobox's partnership: files used, pages
-- using them, views in the last full month, and a link to the details on the usage page. They
-- are the record's "u" entry in the findings data (bot/render/usage_infobox.py); nothing is
-- added when there is none. "No data" is never shown as 0; an older figure says since when.
-- Self-contained, so that it can move wherever the layout puts it.
function p.addUsage(root, options, context)
	local index, page = checklist.load(options.findings or DEFAULT_FINDINGS_PAGE,
		options.title.prefixedText, context.data.hashModulus)
	local record = page and checklist.pick(page, context.args, context.data)
	local usage = index and record and record.u
	if type(usage) ~= 'table' then
		return
	end
	local msg = context.msg
	local lang = mw.language.getContentLanguage()
	local function figure(value, state)
		if tonumber(value) then
			return lang:formatNum(tonumber(value))
		end
		local key = state == 'stale' and 'partnerbot-usage-infobox-not-available' or 'partnerbot-usage-infobox-no-data'
		return "''" .. mw.text.nowiki(msg(key)) .. "''"
	end
	local function older(shown, stale)
		if stale and type(usage.d) == 'string' then
			return shown .. ' <small>' .. mw.text.nowiki(msg('partnerbot-usage-infobox-stale', usage.d)) .. '</small>'
		end
		return shown
	end
	addHeading(root, msg('partnerbot-usage-infobox-heading'))
	local files = msg('partnerbot-usage-infobox-files-used-value', figure(usage.u), figure(usage.f))
	addRow(root, msg('partnerbot-usage-infobox-files-used'), older(files, usage.s == 1))
	addRow(root, msg('partnerbot-usage-infobox-pages'), older(figure(usage.p), usage.s == 1))
	local views = figure(usage.v, usage.vs)
	if usage.y == 1 then
		views = views .. ' <small>' .. mw.text.nowiki(msg('partnerbot-usage-infobox-synthetic')) .. '</small>'
	end
	addRow(root, msg('partnerbot-usage-infobox-views', tostring(usage.m or '')), older(views, usage.vs == 'stale'))
	local target = type(usage.l) == 'string' and mw.title.new(usage.l)
	if target then
		local note = type(usage.d) == 'string' and (' · ' .. mw.text.nowiki(msg('partnerbot-usage-infobox-as-of', usage.d))) or ''
		root:tag('tr'):tag('td'):attr('colspan', 2):css('font-size', '90%')
			:wikitext('[[' .. target.fullText .. '|' .. mw.text.nowiki(msg('partnerbot-usage-infobox-details')) .. ']]' .. note)
	end
end

--- Return whether a finding makes the infobox need attention: an error, or a broken infobox.
local function needsAttention(findings, data)
	for _, finding in ipairs(findings) do
		if finding.severity == 'error' then
			return true
		end
		for _, rule in ipairs(data.asWritten) do
			if finding.rule == rule then
				return true
			end
		end
	end
	return false
end

--- Return the category links: status, each type, and maintenance when something needs fixing.
local function categoryLinks(context, attention)
	local msg, record = context.msg, context.record
	local names = {}
	if record.values.status then
		local label = msg('partnerbot-infobox-value-status-' .. record.values.status)
		table.insert(names, msg('partnerbot-infobox-category-status', label))
	end
	local seen = {}
	for _, kind in ipairs(record.lists.type or {}) do
		if not seen[kind] then
			seen[kind] = true
			table.insert(names, msg('partnerbot-infobox-category-type', msg('partnerbot-infobox-value-type-' .. kind)))
		end
	end
	if attention then
		table.insert(names, msg('partnerbot-infobox-category-attention'))
	end
	local links = {}
	for _, name in ipairs(names) do
		table.insert(links, '[[Category:' .. name .. ']]')
	end
	return table.concat(links)
end

--- Return the infobox wikitext for args (a plain table of the parameters MediaWiki passes).
-- options: title (mw.title of the page), findings (data page title), namespaces (spec string).
function p._infobox(args, options)
	local data = mw.loadData(DATA_MODULE)
	local instant, record = judge.judge(args, data)
	local context = { data = data, msg = checklist.messages(), args = args, record = record,
		instant = instant, problems = {} }
	for _, problem in ipairs(record.problems) do
		if problem.field then
			context.problems[problem.field] = true
		end
	end
	local msg = context.msg
	local name, partner = record.raw.name or '', record.raw.partner or ''

	local root = mw.html.create('table')
		:addClass('infobox partnership-infobox')
		:css('float', 'right')
		:css('clear', 'right')
		:css('width', '24em')
		:css('margin', '0 0 1em 1em')
		:css('border', '1px solid ' .. BORDER)
		:css('background-color', '#f8f9fa')
		:css('color', '#202122')
		:css('font-size', '88%')
		:css('line-height', '1.5em')
		:css('border-spacing', '3px')
	root:tag('caption')
		:css('font-size', '125%')
		:css('font-weight', 'bold')
		:css('padding', '0.2em')
		:wikitext(name ~= '' and name or partner ~= '' and partner or mw.text.nowiki(options.title.text))

	addFields(root, context)
	if record.values.bot == false then
		addNote(root, msg('partnerbot-infobox-bot-paused'), NOTE_COLOUR)
	end
	if record.values.notices == false then
		addNote(root, msg('partnerbot-infobox-notices-off'), NOTE_COLOUR)
	end
	p.addUsage(root, options, context)
	local shown = addChecklist(root, options, context)

	local out = tostring(root)
	if categoryNamespaces(options.namespaces)[options.title.namespace] then
		out = out .. categoryLinks(context, needsAttention(shown, data))
	end
	return out
end

--- Entry point for {{#invoke:Partnership infobox|main}} inside Template:Partnership infobox.
function p.main(frame)
	local args = {}
	local parent = frame:getParent()
	if parent then
		for key, text in pairs(parent.args) do
			args[key] = text
		end
	end
	local function option(name)
		local value = frame.args[name]
		return value and mw.text.trim(value) ~= '' and mw.text.trim(value) or nil
	end
	return p._infobox(args, {
		title = mw.title.getCurrentTitle(),
		findings = option('findings'),
		namespaces = option('namespaces'),
	})
end

return p
