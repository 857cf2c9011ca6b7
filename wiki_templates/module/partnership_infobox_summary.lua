-- Module:Partnership infobox/summary
--
-- The checklist part of {{Partnership infobox}}, at the top of the infobox: one line that says
-- where the partnership stands (checks passed, errors, warnings, notes), then the findings as a
-- list an editor can work through: errors first, then warnings, then notes, each once, each with
-- the field it concerns, what to do, a link to its rule on the method page and a link to the
-- guidance it comes from. The list folds away (mw-collapsible) when nothing in it is an error; without
-- JavaScript it is a plain list.
--
-- A finding is a table { rule, severity, field, reason, params, flag, source, origin }: origin
-- 'bot' for the bot's findings (Module:Partnership infobox/checklist), 'infobox' for the
-- infobox's own checks of the current text (Module:Partnership infobox/judge). The sentences are
-- composed from the message bundles (Module:Partnership infobox/i18n) as the bot composes them
-- (bot/render/finding_text.py).

local p = {}

local RANK = { error = 1, warning = 2, info = 3 }
local SEVERITIES = { 'error', 'warning', 'info' }
local LABELS = {
	error = 'partnerbot-infobox-severity-error',
	warning = 'partnerbot-infobox-severity-warning',
	info = 'partnerbot-infobox-severity-info',
}
local COUNTS = {
	error = 'partnerbot-infobox-count-error',
	warning = 'partnerbot-infobox-count-warning',
	info = 'partnerbot-infobox-count-info',
}
--- Light backgrounds of the summary, by the most severe finding ('none': nothing to report).
local BACKGROUNDS = { error = '#fee7e6', warning = '#fef6e7', info = '#eaf3ff', none = '#d5fdf4' }
local NOTE_COLOUR = '#54595d'

local nowiki = mw.text.nowiki

--- Return a finding parameter as a message parameter (a list becomes comma-separated).
local function param(value)
	if type(value) == 'table' then
		local items = {}
		for _, item in ipairs(value) do
			table.insert(items, tostring(item))
		end
		return table.concat(items, ', ')
	end
	return value
end

--- Return the key that tells two findings apart: rule, field, reason, flag and parameters.
function p.identity(finding)
	local parts = { finding.rule, finding.field or '', finding.reason or '', finding.flag or '' }
	for _, value in ipairs(finding.params or {}) do
		table.insert(parts, tostring(param(value)))
	end
	return table.concat(parts, '\31')
end

--- Return findings without repeats, errors first, then warnings, then notes (stable otherwise).
function p.ordered(findings)
	local seen, kept = {}, {}
	for position, finding in ipairs(findings) do
		local identity = p.identity(finding)
		if not seen[identity] then
			seen[identity] = true
			table.insert(kept, { finding = finding, position = position })
		end
	end
	table.sort(kept, function (x, y)
		local a, b = RANK[x.finding.severity] or 3, RANK[y.finding.severity] or 3
		if a ~= b then
			return a < b
		end
		return x.position < y.position
	end)
	local out = {}
	for _, entry in ipairs(kept) do
		table.insert(out, entry.finding)
	end
	return out
end

--- Return the number of findings of each severity.
function p.counts(findings)
	local counts = { error = 0, warning = 0, info = 0 }
	for _, finding in ipairs(findings) do
		local severity = RANK[finding.severity] and finding.severity or 'info'
		counts[severity] = counts[severity] + 1
	end
	return counts
end

--- Return the sentence of a finding (plain text), or nil when the messages do not know its rule
-- (a data page written by another version of the bot).
function p.findingText(finding, msg)
	local flag = 'partnerbot-checklist-flag-' .. (finding.flag or '')
	if (finding.flag or '') ~= '' and msg:has(flag .. '-label') then
		return msg:text('partnerbot-checklist-finding-flag', msg:text(flag .. '-label'),
			msg:text(flag .. '-explanation'))
	end
	local rule = 'partnerbot-checklist-rule-' .. finding.rule
	if not msg:has(rule) then
		return nil
	end
	local sentence = msg:text(rule)
	local reason = 'partnerbot-checklist-reason-' .. (finding.reason or '')
	if (finding.reason or '') == '' or not msg:has(reason) then
		return sentence
	end
	local params = {}
	for _, value in ipairs(finding.params or {}) do
		table.insert(params, param(value))
	end
	return msg:text('partnerbot-checklist-finding-reason', sentence, msg:text(reason, unpack(params)))
end

--- Return the value the finding suggests (a parameter name, a value, a flag id), or nil.
function p.suggestion(finding, data)
	local index = data.suggestionParams[finding.reason or '']
	local value = index and (finding.params or {})[index]
	return type(value) == 'string' and value or nil
end

--- Return message key with wikitext (links) in the place of parameters: the text around them
-- is escaped, the links are kept as they are.
local function withLinks(msg, key, ...)
	local links, params = { ... }, {}
	for n = 1, #links do
		params[n] = '\127' .. n .. '\127'
	end
	local text = msg:text(key, unpack(params))
	local out, pos = {}, 1
	for first, n, last in string.gmatch(text, '()\127(%d+)\127()') do
		table.insert(out, nowiki(string.sub(text, pos, first - 1)))
		table.insert(out, links[tonumber(n)])
		pos = last
	end
	table.insert(out, nowiki(string.sub(text, pos)))
	return table.concat(out)
end

--- Return the link to the guidance a finding comes from (source: 'Page § Section', shown when
-- the pointer rests on the link), or the citation as text when the page's address is unknown.
local function sourceLink(source, context)
	local page = string.match(source, '^(.-) § ') or source
	local url = type(context.sources) == 'table' and context.sources[page] or nil
	if type(url) == 'string' and string.match(url, '^https?://[^%s%[%]<>"{}|]+$') then
		local label = nowiki(context.msg:text('partnerbot-infobox-source-link'))
		return tostring(mw.html.create('span'):attr('title', source):wikitext('[' .. url .. ' ' .. label .. ']'))
	end
	return nowiki(source)
end

--- Return the link to the finding's rule (or flag) on the method page, or nil when there is no
-- method page (a link to a missing page would lead to an edit form, without the anchor).
local function ruleLink(finding, context)
	local title = context.method and mw.title.new(context.method)
	if not title or not title.exists then
		return nil
	end
	local anchor = (finding.flag or '') ~= '' and 'flag-' .. finding.flag or finding.rule
	if not string.match(anchor, '^[%w%-_]+$') then
		return nil
	end
	return '[[:' .. title.prefixedText .. '#' .. anchor .. '|'
		.. nowiki(context.msg:text('partnerbot-infobox-rule-link')) .. ']]'
end

--- Return a list item for a finding, or nil when its rule is unknown. The item carries
-- data-rule, data-field, data-reason, data-flag, data-severity, data-origin (and
-- data-suggestion when the finding suggests a value), so tools and tests can read it.
function p.item(finding, context)
	local msg, data = context.msg, context.data
	local sentence = p.findingText(finding, msg)
	if not sentence then
		return nil
	end
	local severity = RANK[finding.severity] and finding.severity or 'info'
	local item = mw.html.create('li')
		:attr('data-rule', finding.rule)
		:attr('data-field', finding.field or '')
		:attr('data-reason', finding.reason or '')
		:attr('data-flag', finding.flag or '')
		:attr('data-severity', severity)
		:attr('data-origin', finding.origin or 'bot')
		:css('margin-bottom', '0.3em')
	local suggestion = p.suggestion(finding, data)
	if suggestion then
		item:attr('data-suggestion', suggestion)
	end
	local label = tostring(mw.html.create('span')
		:css('color', data.severityColours[severity])
		:css('font-weight', 'bold')
		:wikitext(nowiki(msg:text(LABELS[severity]))))
	local field = finding.field or ''
	if field ~= '' then
		local name = data.params[field] and msg:text('partnerbot-infobox-param-' .. field .. '-label') or field
		local shown = tostring(mw.html.create('span'):css('font-weight', 'bold'):wikitext(nowiki(name)))
		item:wikitext(withLinks(msg, 'partnerbot-infobox-finding', label, shown, nowiki(sentence)))
	else
		item:wikitext(withLinks(msg, 'partnerbot-infobox-finding-no-field', label, nowiki(sentence)))
	end
	local notes = {}
	if finding.origin == 'bot' and context.earlier then
		table.insert(notes, nowiki(msg:text('partnerbot-infobox-from-revision', context.earlier)))
	end
	table.insert(notes, ruleLink(finding, context))
	if (finding.source or '') ~= '' then
		table.insert(notes, sourceLink(finding.source, context))
	end
	if #notes > 0 then
		item:wikitext(' '):tag('span')
			:addClass('partnership-infobox-finding-links')
			:css('font-size', '90%')
			:css('color', NOTE_COLOUR)
			:wikitext(withLinks(msg, 'partnerbot-infobox-finding-links',
				table.concat(notes, nowiki(msg:text('partnerbot-infobox-separator')))))
	end
	return item
end

--- Return the date of an ISO 8601 timestamp in the reader's language, or nil when unreadable.
function p.date(timestamp, context)
	local format = context.msg:text('partnerbot-infobox-date-format')
	local ok, text = pcall(context.msg.lang.formatDate, context.msg.lang, format, timestamp)
	return ok and text or nil
end

--- Return the line that sums up the checklist.
local function summaryLine(view, counts, context)
	local msg, data = context.msg, context.data
	local line = mw.html.create('div'):addClass('partnership-infobox-summary-line')
	line:tag('b'):wikitext(nowiki(msg:text('partnerbot-infobox-checklist-heading')))
	local parts = {}
	if view.state == 'current' then
		local passed, applicable = view.score[1], view.score[2]
		if applicable > 0 then
			table.insert(parts, nowiki(msg:text('partnerbot-infobox-checks-passed', passed, applicable)))
		end
	end
	for _, severity in ipairs(SEVERITIES) do
		if counts[severity] > 0 then
			table.insert(parts, tostring(mw.html.create('span')
				:css('color', data.severityColours[severity])
				:css('font-weight', severity == 'error' and 'bold' or nil)
				:wikitext(nowiki(msg:text(COUNTS[severity], counts[severity])))))
		end
	end
	if #view.findings == 0 and view.omitted == 0 then
		table.insert(parts, nowiki(msg:text(view.state == 'current'
			and 'partnerbot-infobox-nothing-to-report' or 'partnerbot-infobox-instant-none')))
	end
	local separator = nowiki(msg:text('partnerbot-infobox-separator'))
	line:wikitext(separator .. table.concat(parts, separator))
	return line
end

--- Return the notes under the summary line: the state of the bot's check, a paused bot.
local function stateNotes(view, context)
	local msg = context.msg
	local notes = {}
	if view.state == 'unchecked' then
		table.insert(notes, msg:text('partnerbot-infobox-not-checked'))
	elseif view.state == 'changed' then
		table.insert(notes, view.revision and msg:text('partnerbot-infobox-changed-since', view.revision)
			or msg:text('partnerbot-infobox-changed-since-unknown-revision'))
	end
	if view.state ~= 'current' then
		table.insert(notes, msg:text('partnerbot-infobox-instant-note'))
	end
	return notes
end

--- Return the line saying when the bot checked which revision, or nil.
local function checkedLine(view, context)
	local date = view.updated and p.date(view.updated, context)
	if not date then
		return nil
	end
	local line = mw.html.create('div'):css('color', NOTE_COLOUR):css('font-size', '90%')
	if view.revision then
		local link = '[[Special:PermanentLink/' .. view.revision .. '|' .. view.revision .. ']]'
		return line:wikitext(withLinks(context.msg, 'partnerbot-infobox-checked-on', nowiki(date), link))
	end
	return line:wikitext(nowiki(context.msg:text('partnerbot-infobox-checked-on-unknown-revision', date)))
end

--- Return the checklist block for view:
--   state     'current' (the bot checked these values), 'changed' or 'unchecked'
--   findings  the findings shown (any order; repeats are dropped)
--   score     { passed, applicable } of the bot's check; omitted: findings the bot left out
--   revision  the revision the bot checked (text) or nil; updated: when (ISO 8601) or nil
--   notes     further lines to show under the summary (plain text)
function p.block(view, context)
	local findings = p.ordered(view.findings)
	view.findings = findings
	local counts = p.counts(findings)
	local worst = counts.error > 0 and 'error' or counts.warning > 0 and 'warning'
		or counts.info > 0 and 'info' or 'none'
	local box = mw.html.create('div')
		:addClass('partnership-infobox-summary')
		:attr('data-state', view.state)
		:css('background-color', BACKGROUNDS[worst])
		:css('border-left', '4px solid ' .. (context.data.severityColours[worst] or '#14866d'))
		:css('text-align', 'left')
		:css('overflow-wrap', 'anywhere')
	local details = #findings > 0 or view.omitted > 0
	-- MediaWiki puts the show/hide link first in box, floating right in the tinted head; the
	-- findings are on white.
	local head = box:tag('div'):css('padding', '0.3em 0.5em')
	if details then
		box:addClass('mw-collapsible')
			:attr('data-expandtext', context.msg:text('partnerbot-infobox-show-details'))
			:attr('data-collapsetext', context.msg:text('partnerbot-infobox-hide-details'))
		if counts.error == 0 then
			box:addClass('mw-collapsed')
		end
	end
	head:node(summaryLine(view, counts, context))
	local notes = stateNotes(view, context)
	for _, note in ipairs(view.notes or {}) do
		table.insert(notes, note)
	end
	for _, note in ipairs(notes) do
		head:tag('div'):css('font-size', '90%'):css('color', NOTE_COLOUR):wikitext(nowiki(note))
	end
	local content = box:tag('div')
		:css('padding', '0.1em 0.5em 0.3em 0.5em')
		:css('background-color', '#ffffff')
	if details then
		content = content:addClass('mw-collapsible-content')
		local list = content:tag('ul')
			:addClass('partnership-infobox-findings')
			:css('margin', '0.3em 0 0.3em 1.2em')
		for _, finding in ipairs(findings) do
			list:node(p.item(finding, context))
		end
		if view.omitted > 0 then
			list:tag('li'):wikitext(nowiki(context.msg:text('partnerbot-infobox-more-findings', view.omitted)))
		end
	end
	content:node(checkedLine(view, context))
	return box
end

return p
