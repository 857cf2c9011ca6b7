-- Module:Partnership infobox
--
-- Renders {{Partnership infobox}}: under the partnership's name, the checklist summary
-- (Module:Partnership infobox/summary) with its findings: the bot's when the bot checked these
-- very values, else the infobox's own checks of the current text (Module:Partnership
-- infobox/judge) and what only the bot could find in the revision it checked. Then the fields
-- (Module:Partnership infobox/fields), and the tracking categories (by status and type, sorted by the
-- partnership's name; a maintenance category when the infobox needs fixing; a category when
-- the bot's check found an error).
--
-- The template is a thin wrapper: {{#invoke:Partnership infobox|main}}. The infobox parameters
-- are read from the template call (the parent frame). Optional arguments of the #invoke set up
-- a wiki:
--   findings=   title of the findings data page the bot writes
--               (default: Module:Partnership infobox/findings.json)
--   method=     title of the page that explains the checklist rules (default:
--               Partnerships/Method); each finding links to its rule there (#rule-id, #flag-id)
--   namespaces= comma-separated namespace numbers in which pages are categorised (default: 0)
--   lang=       language of the text shown (default: the page's language, which is the wiki's
--               content language unless the page's language was changed)
-- Category names are always in the wiki's content language, as the bot names their pages.
--
-- The parameters, vocabularies and instant rules are generated data, in Module:Partnership
-- infobox/data; what the infobox says comes from Module:Partnership infobox/i18n.

local p = {}

local DATA_MODULE = 'Module:Partnership infobox/data'
local checklist = require('Module:Partnership infobox/checklist')
local judge = require('Module:Partnership infobox/judge')
local summary = require('Module:Partnership infobox/summary')
local fields = require('Module:Partnership infobox/fields')
local i18n = require('Module:Partnership infobox/i18n')
local DEFAULT_FINDINGS_PAGE = 'Module:Partnership infobox/findings.json'
local DEFAULT_METHOD_PAGE = 'Partnerships/Method'
local DEFAULT_NAMESPACES = '0'

local BORDER = '#a2a9b1'
--- Below this width of the text column (in the infobox's em) the infobox takes the whole
-- width and the article continues under it; above it, it floats right, taking 40% of the
-- column within [MIN_WIDTH, MAX_WIDTH]. Inline styles only (no media queries): the switch is
-- made by min-width, max-width and a width that is huge or negative around the threshold.
local STACK_BELOW, MIN_WIDTH, MAX_WIDTH = '40em', '18em', '24em'

local nowiki = mw.text.nowiki

-- The infobox ------------------------------------------------------------------------------------

local function categoryNamespaces(spec)
	local allowed = {}
	for _, item in ipairs(fields.splitList(spec or DEFAULT_NAMESPACES)) do
		local number = tonumber(item)
		if number then
			allowed[number] = true
		end
	end
	return allowed
end

--- Return the checklist view of this infobox (see Module:Partnership infobox/summary), the
-- findings on the current text, and the bot's findings for its record.
local function checklistView(options, context)
	local data = context.data
	local index, page = checklist.load(options.findings or DEFAULT_FINDINGS_PAGE,
		options.title.prefixedText, data.hashModulus)
	context.sources = index and index.sources or data.sources
	local record, current = nil, false
	if page then
		record, current = checklist.pick(page, context.args, data)
	end
	local revision = record and tonumber(page.r) and string.format('%d', page.r) or nil
	local bot = record and checklist.botFindings(index, record) or {}
	local score = record and type(record.s) == 'table' and record.s or {}
	local view = {
		revision = revision,
		updated = record and type(index.updated) == 'string' and index.updated or nil,
		score = { tonumber(score[1]) or 0, tonumber(score[2]) or 0 },
		omitted = record and current and tonumber(record.x) or 0,
		notes = {},
	}
	if record and current then
		view.state, view.findings = 'current', bot
		return view, bot, bot
	end
	view.state = record and 'changed' or 'unchecked'
	-- The infobox judges the current text itself; of the bot's findings on the revision it
	-- checked, only those the infobox cannot judge are still worth showing.
	local judged = {}
	for _, rule in ipairs(data.instant) do
		judged[rule.rule] = true
	end
	view.findings = {}
	for _, finding in ipairs(context.instant) do
		table.insert(view.findings, finding)
	end
	for _, finding in ipairs(bot) do
		if not judged[finding.rule] then
			table.insert(view.findings, finding)
		end
	end
	context.earlier = revision or '?'
	return view, context.instant, bot
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
		return "''" .. mw.text.nowiki(msg:text(key)) .. "''"
	end
	local function older(shown, stale)
		if stale and type(usage.d) == 'string' then
			return shown .. ' <small>' .. mw.text.nowiki(msg:text('partnerbot-usage-infobox-stale', usage.d)) .. '</small>'
		end
		return shown
	end
	fields.addHeading(root, msg:text('partnerbot-usage-infobox-heading'))
	local files = msg:text('partnerbot-usage-infobox-files-used-value', figure(usage.u), figure(usage.f))
	fields.addRow(root, msg:text('partnerbot-usage-infobox-files-used'), older(files, usage.s == 1))
	fields.addRow(root, msg:text('partnerbot-usage-infobox-pages'), older(figure(usage.p), usage.s == 1))
	local views = figure(usage.v, usage.vs)
	if usage.y == 1 then
		views = views .. ' <small>' .. mw.text.nowiki(msg:text('partnerbot-usage-infobox-synthetic')) .. '</small>'
	end
	fields.addRow(root, msg:text('partnerbot-usage-infobox-views', tostring(usage.m or '')), older(views, usage.vs == 'stale'))
	local target = type(usage.l) == 'string' and mw.title.new(usage.l)
	if target then
		local note = type(usage.d) == 'string' and (' · ' .. mw.text.nowiki(msg:text('partnerbot-usage-infobox-as-of', usage.d))) or ''
		root:tag('tr'):tag('td'):attr('colspan', 2):css('font-size', '90%')
			:wikitext('[[' .. target.fullText .. '|' .. mw.text.nowiki(msg:text('partnerbot-usage-infobox-details')) .. ']]' .. note)
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

local function hasError(findings)
	for _, finding in ipairs(findings) do
		if finding.severity == 'error' then
			return true
		end
	end
	return false
end

--- Return the sort key of the infobox's pages in categories: the partnership's name, else the
-- partner, else the last part of the page's title (after its last '/', whether or not the
-- namespace has subpages), as plain text (links as their text, no bold or italic quotes, no
-- tags), without [ ] { } | and line breaks.
function p.sortKey(name, partner, title)
	local last = mw.ustring.match(title.text, '([^/]+)/*$') or title.text
	for _, text in ipairs({ name or '', partner or '', last }) do
		text = mw.text.killMarkers(text)
		text = mw.ustring.gsub(text, '%[%[[^%[%]|]*|([^%[%]]*)%]%]', '%1')
		text = mw.ustring.gsub(text, '%[%[([^%[%]]*)%]%]', '%1')
		text = mw.ustring.gsub(text, "'''?", '')
		text = mw.ustring.gsub(text, '<[^<>]*>', '')
		text = mw.ustring.gsub(text, '[%[%]{}|]', '')
		text = mw.text.trim((mw.ustring.gsub(text, '%s+', ' ')))
		if text ~= '' then
			return text
		end
	end
	return ''
end

--- Return the category links: status, each type, maintenance, bot errors; in the wiki's content
-- language, with the partnership's sort key.
local function categoryLinks(context, attention, botError, key)
	local names, record = context.categories, context.record
	local list = {}
	if record.values.status then
		local label = names:text('partnerbot-infobox-value-status-' .. record.values.status)
		table.insert(list, names:text('partnerbot-categories-status-name', label))
	end
	local seen = {}
	for _, kind in ipairs(record.lists.type or {}) do
		if not seen[kind] then
			seen[kind] = true
			local label = names:text('partnerbot-infobox-value-type-' .. kind)
			table.insert(list, names:text('partnerbot-categories-type-name', label))
		end
	end
	if attention then
		table.insert(list, names:text('partnerbot-categories-attention-name'))
	end
	if botError then
		table.insert(list, names:text('partnerbot-categories-bot-errors-name'))
	end
	local links = {}
	for _, name in ipairs(list) do
		table.insert(links, '[[Category:' .. name .. (key ~= '' and '|' .. key or '') .. ']]')
	end
	return table.concat(links)
end

--- Return the outer frame: floats right beside the article, or takes the whole width of a
-- narrow column (see STACK_BELOW).
local function outerFrame()
	return mw.html.create('div')
		:addClass('partnership-infobox-frame')
		:css('float', 'right')
		:css('clear', 'right')
		:css('box-sizing', 'border-box')
		:css('font-size', '88%')
		:css('line-height', '1.5em')
		:css('width', 'calc((' .. STACK_BELOW .. ' - 100%) * 1000)')
		:css('max-width', '100%')
		:css('min-width', 'min(100%, clamp(' .. MIN_WIDTH .. ', 40%, ' .. MAX_WIDTH .. '))')
		:css('margin', '0 0 1em clamp(0em, calc((100% - ' .. STACK_BELOW .. ') * 1000), 1em)')
end

--- Return the infobox wikitext for args (a plain table of the parameters MediaWiki passes).
-- options: title (mw.title of the page), findings (data page title), method (method page
-- title), namespaces (spec string), lang (language code of the text, or nil).
function p._infobox(args, options)
	local data = mw.loadData(DATA_MODULE)
	local instant, record = judge.judge(args, data)
	local context = {
		data = data, args = args, record = record, instant = instant, problems = {},
		suggestions = {}, msg = i18n.new(options.lang), categories = i18n.new(),
		method = options.method or DEFAULT_METHOD_PAGE,
	}
	for _, problem in ipairs(record.problems) do
		if problem.field then
			context.problems[problem.field] = true
			local suggestion = summary.suggestion(problem, data)
			if suggestion and data.params[problem.field] then
				context.suggestions[problem.field] = context.suggestions[problem.field] or {}
				context.suggestions[problem.field][problem.params[1]] = suggestion
			end
		end
	end
	local msg = context.msg
	local name, partner = record.raw.name or '', record.raw.partner or ''

	local root = mw.html.create('table')
		:addClass('infobox partnership-infobox')
		:css('width', '100%')
		:css('border', '1px solid ' .. BORDER)
		:css('background-color', '#f8f9fa')
		:css('color', '#202122')
		:css('border-spacing', '3px')
	root:tag('caption')
		:css('font-size', '125%')
		:css('font-weight', 'bold')
		:css('padding', '0.2em')
		:wikitext(name ~= '' and name or partner ~= '' and partner or nowiki(options.title.text))

	local view, current, bot = checklistView(options, context)
	root:attr('data-checked-revision', view.revision or '')
	if record.values.bot == false then
		table.insert(view.notes, msg:text('partnerbot-infobox-bot-paused'))
	end
	if record.values.notices == false then
		table.insert(view.notes, msg:text('partnerbot-infobox-notices-off'))
	end
	root:tag('tr'):tag('td'):attr('colspan', 2):css('padding', '0'):node(summary.block(view, context))
	fields.add(root, context)
	p.addUsage(root, options, context)

	local out = tostring(outerFrame():node(root))
	if categoryNamespaces(options.namespaces)[options.title.namespace] then
		local key = p.sortKey(name, partner, options.title)
		out = out .. categoryLinks(context, needsAttention(current, data), hasError(bot), key)
	end
	return out
end

--- Return the language of the page being rendered (a code): title.pageLanguage where Scribunto
-- has it, else {{PAGELANGUAGE}}.
local function pageLanguage(frame, title)
	local code = title.pageLanguage or frame:preprocess('{{PAGELANGUAGE}}')
	return type(code) == 'string' and mw.text.trim(code) or nil
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
	local title = mw.title.getCurrentTitle()
	local lang = option('lang') or pageLanguage(frame, title)
	if lang and not mw.language.isKnownLanguageTag(lang) then
		lang = nil
	end
	return p._infobox(args, {
		title = title,
		findings = option('findings'),
		method = option('method'),
		namespaces = option('namespaces'),
		lang = lang,
	})
end

return p
