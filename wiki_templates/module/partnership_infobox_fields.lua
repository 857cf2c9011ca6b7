-- Module:Partnership infobox/fields
--
-- The fields of {{Partnership infobox}}: a heading for each group of parameters with a value,
-- and a row for each, with its human label and its value as readers should see it: accepted
-- values by their labels, dates in the reader's language, users and Wikidata items linked, and
-- values the bot would not accept marked (with the value probably meant, when one is close).

local p = {}

local checklist = require('Module:Partnership infobox/checklist')
local judge = require('Module:Partnership infobox/judge')
local externalLink, isSafeUrl = checklist.externalLink, checklist.isSafeUrl

local HEADING_BACKGROUND = '#eaecf0'
local PROBLEM_COLOUR = '#d73333'
local NOTE_COLOUR = '#54595d'

local nowiki = mw.text.nowiki

--- Return the separator between the items of a list value.
local function listSeparator(context)
	return nowiki(context.msg:text('partnerbot-infobox-list-separator'))
end

--- Return the comma-separated items of value, trimmed, without empty ones.
function p.splitList(value)
	local items = {}
	for _, item in ipairs(mw.text.split(value, ',', true)) do
		item = mw.text.trim(item)
		if item ~= '' then
			table.insert(items, item)
		end
	end
	return items
end

--- Return value marked as needing attention, with a suggestion when there is one.
local function marked(value, suggestion, context)
	local span = mw.html.create('span')
		:addClass('partnership-infobox-problem')
		:css('color', PROBLEM_COLOUR)
		:wikitext(value)
	if suggestion then
		span:wikitext(' '):tag('span')
			:addClass('partnership-infobox-suggestion')
			:css('color', NOTE_COLOUR)
			:css('font-size', '90%')
			:wikitext(nowiki(context.msg:text('partnerbot-infobox-did-you-mean', suggestion)))
	end
	return tostring(span)
end

--- Return the label of value of the enum parameter name.
local function valueLabel(context, name, value)
	return context.msg:text('partnerbot-infobox-value-' .. name .. '-' .. value)
end

--- Return the suggestion for item of parameter name, as its label, or nil.
local function suggested(context, name, item)
	local value = (context.suggestions[name] or {})[context.record.shown(item)]
	return value and valueLabel(context, name, value) or nil
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
		return nowiki(valueLabel(context, name, found))
	end
	return marked(nowiki(value), suggested(context, name, value), context)
end

render['enum list'] = function (value, name, context)
	local shown = {}
	for _, item in ipairs(p.splitList(value)) do
		local found = judge.member(context.data, name, item)
		if found then
			table.insert(shown, nowiki(valueLabel(context, name, found)))
		else
			table.insert(shown, marked(nowiki(item), suggested(context, name, item), context))
		end
	end
	return table.concat(shown, listSeparator(context))
end

function render.users(value, _, context)
	local shown = {}
	for _, item in ipairs(p.splitList(value)) do
		local name = mw.text.trim((string.gsub(item, '^[Uu]ser:', '')))
		local title = name ~= '' and not string.find(name, '[%[%]{}|#<>]') and mw.title.new(name, 'User')
		if title then
			table.insert(shown, '[[' .. title.prefixedText .. '|' .. nowiki(name) .. ']]')
		else
			table.insert(shown, nowiki(item))
		end
	end
	return table.concat(shown, listSeparator(context))
end

function render.qid(value, name, context)
	local qid = mw.ustring.upper(value)
	if string.match(qid, '^Q[1-9]%d*$') then
		return externalLink('https://www.wikidata.org/wiki/' .. qid, qid)
	end
	return context.problems[name] and marked(nowiki(value)) or value
end

function render.category(value)
	local name = mw.text.trim((string.gsub(value, '^[Cc]ategory:', '')))
	if name == '' or string.find(name, '[%[%]{}|#<>]') then
		return nowiki(value)
	end
	local url = 'https://commons.wikimedia.org/wiki/Category:' .. mw.uri.encode(name, 'WIKI')
	return externalLink(url, name)
end

local function checked(value, name, context)
	return context.problems[name] and marked(nowiki(value)) or nowiki(value)
end

--- A date the parser accepts is written in the reader's language (YYYY-MM as a month).
function render.date(value, name, context)
	if context.problems[name] then
		return marked(nowiki(value))
	end
	local month = string.match(value, '^%d%d%d%d%-%d%d$')
	local day = string.match(value, '^%d%d%d%d%-%d%d%-%d%d$')
	if not month and not day then
		return nowiki(value)
	end
	local format = context.msg:text(day and 'partnerbot-infobox-date-format' or 'partnerbot-infobox-month-format')
	local lang = context.msg.lang
	local ok, text = pcall(lang.formatDate, lang, format, day and value or value .. '-01')
	if not ok then
		return nowiki(value)
	end
	return tostring(mw.html.create('span'):attr('title', value):wikitext(nowiki(text)))
end

render.count = checked
render.domains = checked

function render.items(value, _, context)
	return table.concat(p.splitList(value), listSeparator(context))
end

function render.flags(value, _, context)
	local shown, msg = {}, context.msg
	for _, item in ipairs(p.splitList(value)) do
		local id = judge.flagId(context.data, item)
		if judge.isFlag(context.data, id) then
			local span = mw.html.create('span')
				:attr('title', msg:text('partnerbot-checklist-flag-' .. id .. '-explanation'))
				:wikitext(nowiki(msg:text('partnerbot-checklist-flag-' .. id .. '-label')))
			table.insert(shown, tostring(span))
		else
			table.insert(shown, marked(nowiki(item)))
		end
	end
	return table.concat(shown, listSeparator(context))
end

function render.boolean(value, name, context)
	local answer = context.record.values[name]
	if answer == nil then
		return marked(nowiki(value))
	end
	return nowiki(context.msg:text(answer and 'partnerbot-infobox-yes' or 'partnerbot-infobox-no'))
end

local function addHeading(root, label)
	root:tag('tr'):tag('th')
		:attr('colspan', 2)
		:css('background-color', HEADING_BACKGROUND)
		:css('text-align', 'center')
		:css('padding', '0.2em 0.4em')
		:wikitext(nowiki(label))
end

local function addRow(root, label, value, background)
	local row = root:tag('tr')
	row:tag('th')
		:attr('scope', 'row')
		:css('text-align', 'left')
		:css('vertical-align', 'top')
		:css('padding', '0.2em 0.4em')
		:css('width', '38%')
		:wikitext(nowiki(label))
	-- A long address or word may break anywhere in a value, never in a label.
	local cell = row:tag('td')
		:css('vertical-align', 'top')
		:css('padding', '0.2em 0.4em')
		:css('overflow-wrap', 'anywhere')
	if background then
		cell:css('background-color', background)
	end
	cell:wikitext(value)
end

p.addHeading, p.addRow = addHeading, addRow

--- Add to root (a table) a heading and rows for each group with filled-in parameters.
-- context: data (the data module), msg (Module:Partnership infobox/i18n), record (the judge's
-- reading of the parameters), problems (field -> true), suggestions (field -> value -> value).
function p.add(root, context)
	local data, msg = context.data, context.msg
	for _, group in ipairs(data.groups) do
		local rows = {}
		for _, name in ipairs(group.hidden and {} or group.params) do
			local value = context.record.raw[name] or ''
			-- The name is the infobox's caption; it is not repeated as a row.
			if value ~= '' and name ~= 'name' then
				local shown = render[data.params[name].kind](value, name, context)
				local background = name == 'status' and data.statusColours[context.record.values.status or '']
				table.insert(rows, { msg:text('partnerbot-infobox-param-' .. name .. '-label'), shown, background or nil })
			end
		end
		if #rows > 0 then
			addHeading(root, msg:text('partnerbot-infobox-group-' .. group.id))
			for _, row in ipairs(rows) do
				addRow(root, row[1], row[2], row[3])
			end
		end
	end
end

return p
