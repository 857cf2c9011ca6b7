-- Module:Partnership infobox/judge
--
-- The checks {{Partnership infobox}} makes itself on the text being shown, before the bot runs:
-- the checklist rules listed in Module:Partnership infobox/data under `instant`, generated from
-- the bot's checklist (bot/checklist/instant.py). The bot is the only judge; this module reads
-- values exactly as the bot's parser reads literal text (bot/parse/coerce.py), and a test on a
-- real wiki renders hundreds of infoboxes to check that both find the same findings.
--
-- What only the bot can judge is left to it: values built by templates (MediaWiki passes them
-- expanded), parameters given twice (MediaWiki passes the last one only), dates against today,
-- licences and everything about the page as a whole.

local p = {}

local ustring = mw.ustring
local similar = require('Module:Partnership infobox/similar')

-- Text as the bot's parser reads it -------------------------------------------------------------

--- Return helpers bound to the data module's whitespace (the characters Python's strip removes).
function p.textTools(data)
	local ws = data.whitespace
	local tools = {}
	local runs = '[' .. ws .. ']+'
	function tools.trim(s)
		s = ustring.gsub(s, '^' .. runs, '')
		return (ustring.gsub(s, runs .. '$', ''))
	end
	function tools.collapse(s, by)
		return (ustring.gsub(s, runs, by))
	end
	function tools.isPlaceholder(s)
		if ustring.len(s) > data.placeholderLength then
			return false
		end
		local lowered = ustring.lower(s)
		for _, placeholder in ipairs(data.placeholders) do
			if lowered == placeholder then
				return true
			end
		end
		return false
	end
	--- Return the value as a finding quotes it: whitespace runs as one space, cut short.
	function tools.shown(s)
		s = tools.collapse(s, ' ')
		if ustring.len(s) > data.shownLength then
			s = ustring.sub(s, 1, data.shownLength - 1) .. '…'
		end
		return s
	end
	--- Return whether s holds a whitespace character.
	function tools.hasWhitespace(s)
		return ustring.find(s, '[' .. ws .. ']') ~= nil
	end
	--- Return the comma-separated items of s, trimmed, without empty items and placeholders.
	function tools.items(s)
		local found = {}
		for _, item in ipairs(mw.text.split(s, ',', true)) do
			item = tools.trim(item)
			if item ~= '' and not tools.isPlaceholder(item) then
				table.insert(found, item)
			end
		end
		return found
	end
	return tools
end

-- Reading values by kind ------------------------------------------------------------------------

--- Return the items of a list from mw.loadData (whose tables the table library cannot read).
function p.join(list)
	local items = {}
	for _, item in ipairs(list) do
		table.insert(items, item)
	end
	return table.concat(items, ', ')
end

local function vocabulary(values)
	local lookup = {}
	for _, value in ipairs(values) do
		lookup[(string.gsub(value, '_', ''))] = value
	end
	for _, value in ipairs(values) do
		lookup[value] = value
	end
	return lookup
end

--- Return text as a vocabulary compares it: lower case, spaces and hyphens as underscores.
local function vocabularyKey(text, tools)
	local key = tools.collapse(ustring.lower(tools.trim(text)), '_')
	return (string.gsub(key, '%-', '_'))
end

local function member(lookup, text, tools)
	local key = vocabularyKey(text, tools)
	return lookup[key] or lookup[(string.gsub(key, '_', ''))]
end

--- Return the problem of a value outside a vocabulary, suggesting the closest value if any
-- (bot: bot/parse/coerce.py, _enum_problem).
local function vocabularyProblem(text, values, data, tools)
	local close = similar.closeMatch(vocabularyKey(text, tools), values, data.valueCutoff)
	if close then
		return 'value-did-you-mean', { tools.shown(text), close }
	end
	return 'not-in-vocabulary', { tools.shown(text), p.join(values) }
end

--- Return the one parameter whose name starts or ends with words (website: partner_website),
-- or nil (bot: bot/parse/records.py, _name_with_part).
local function nameWithPart(words, data)
	local found, count = nil, 0
	for _, name in ipairs(data.order) do
		if words ~= '' and (string.sub(name, -#words - 1) == '_' .. words
			or string.sub(name, 1, #words + 1) == words .. '_') then
			found, count = name, count + 1
		end
	end
	return count == 1 and found or nil
end

local function isLeapYear(year)
	return (year % 4 == 0 and year % 100 ~= 0) or year % 400 == 0
end

local DAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

--- Return nil when text is a date the bot accepts, else the reason and its parameters.
function p.dateProblem(text, data, tools)
	local year, month, day = string.match(text, '^(%d%d%d%d)%-(%d%d)%-(%d%d)$')
	if not year then
		year, month = string.match(text, '^(%d%d%d%d)%-(%d%d)$')
	end
	if not year then
		return 'not-a-date', { tools.shown(text) }
	end
	year, month, day = tonumber(year), tonumber(month), tonumber(day or '1')
	if year < data.minYear or year > data.maxYear then
		return 'year-out-of-range', { tools.shown(text), year, data.minYear, data.maxYear }
	end
	local last = DAYS[month] and (month == 2 and isLeapYear(year) and 29 or DAYS[month])
	if not last or day < 1 or day > last then
		return 'not-in-calendar', { tools.shown(text) }
	end
	return nil
end

local QID_PREFIXES = {
	'https?://www%.wikidata%.org/wiki/', 'https?://wikidata%.org/wiki/',
	'https?://www%.wikidata%.org/entity/', 'https?://wikidata%.org/entity/',
	'd%s*:%s*', 'wikidata%s*:%s*', '',
}

local function isQid(text)
	local before = string.match(text, '^(.*)|') or text
	before = string.gsub(string.gsub(before, '^[%[%] ]+', ''), '[%[%] ]+$', '')
	local lowered = ustring.lower(before)
	for _, prefix in ipairs(QID_PREFIXES) do
		if string.match(lowered, '^' .. prefix .. 'q[1-9]%d*$') then
			return true
		end
	end
	return false
end

local function isDomain(text, tools)
	local host = ustring.lower(tools.trim(text))
	local withoutScheme = string.gsub(host, '^[a-z][a-z0-9+.%-]*://', '', 1)
	if withoutScheme == host then
		withoutScheme = string.gsub(host, '^//', '', 1)
	end
	host = string.match(withoutScheme, '^[^/?#]*')
	host = string.match(host, '([^@]*)$')
	host = string.gsub(host, ':%d*$', '')
	host = string.gsub(string.gsub(host, '^%.+', ''), '%.+$', '')
	if host == '' or string.find(host, '[%[%]{}<>|"\'\\:]') then
		return false
	end
	return not tools.hasWhitespace(host)
end

--- Return the value of the enum (or enum list) parameter name that text names, or nil.
function p.member(data, name, text)
	return member(vocabulary(data.params[name].values), text, p.textTools(data))
end

--- Return the flag id an item of flags names (lower case, words joined by hyphens).
function p.flagId(data, item)
	local tools = p.textTools(data)
	local id = tools.trim(tools.collapse(string.gsub(ustring.lower(item), '_', ' '), ' '))
	return (string.gsub(id, ' ', '-'))
end

--- Return whether id is a flag of the checklist.
function p.isFlag(data, id)
	for _, flag in ipairs(data.flags) do
		if flag == id then
			return true
		end
	end
	return false
end

--- Return the record as the bot reads it: typed values and the problems found.
-- args is a plain table of the parameters MediaWiki passes.
function p.read(args, data)
	local tools = p.textTools(data)
	-- values: enum and yes/no values read; lists: enum list values read; blank: as is_blank.
	local record = { raw = {}, values = {}, lists = {}, blank = {}, problems = {}, flags = {} }
	local function problem(rule, field, reason, params)
		table.insert(record.problems, { rule = rule, field = field, reason = reason, params = params })
	end
	local unknown = {}
	for key, value in pairs(args) do
		if type(key) == 'number' then
			local text = tools.trim(value)
			if text ~= '' then
				problem('positional-parameter', nil, 'stray-text', { tools.shown(text) })
			end
		elseif key == '' then
			problem('positional-parameter', nil, 'unnamed-value', { tools.shown(tools.trim(value)) })
		elseif data.params[key] then
			record.raw[key] = tools.trim(value)
		else
			table.insert(unknown, key)
		end
	end
	table.sort(unknown)
	for _, name in ipairs(unknown) do
		local guess = tools.collapse(ustring.lower(tools.trim(name)), '_')
		guess = string.gsub(guess, '[_%-]+', '_')
		if not data.params[guess] then
			guess = similar.closeMatch(guess, data.order, data.nameCutoff) or nameWithPart(guess, data)
		end
		if not guess then
			problem('unknown-parameter', name, 'unknown-ignored', { tools.shown(name) })
		elseif guess == ustring.lower(tools.trim(name)) then
			problem('unknown-parameter', name, 'unknown-case-sensitive', { tools.shown(name), guess })
		else
			problem('unknown-parameter', name, 'unknown-did-you-mean', { tools.shown(name), guess })
		end
	end
	for _, name in ipairs(data.order) do
		local param, text = data.params[name], record.raw[name] or ''
		local empty = text == '' or tools.isPlaceholder(text)
		local before = #record.problems
		if not empty then
			local kind = param.kind
			if kind == 'enum' then
				local found = member(vocabulary(param.values), text, tools)
				record.values[name] = found
				if not found then
					problem(param.problem, name, vocabularyProblem(text, param.values, data, tools))
				end
			elseif kind == 'enum list' then
				local lookup, members = vocabulary(param.values), {}
				for _, item in ipairs(tools.items(text)) do
					local found = member(lookup, item, tools)
					if found then
						table.insert(members, found)
					else
						problem(param.problem, name, vocabularyProblem(item, param.values, data, tools))
					end
				end
				record.lists[name] = members
				empty = #members == 0
			elseif kind == 'date' then
				local reason, params = p.dateProblem(text, data, tools)
				if reason then
					problem(param.problem, name, reason, params)
				end
			elseif kind == 'boolean' then
				local answer = data.booleans[ustring.lower(text)]
				record.values[name] = answer
				if answer == nil then
					problem(param.problem, name, 'not-yes-no', { tools.shown(text) })
				end
			elseif kind == 'count' then
				if not ustring.match(text, '^%d+$') then
					problem(param.problem, name, 'not-a-count', { tools.shown(text) })
				end
			elseif kind == 'qid' then
				if not isQid(text) then
					problem(param.problem, name, 'not-a-qid', { tools.shown(text) })
				end
			elseif kind == 'domains' then
				local items = tools.items(text)
				for _, item in ipairs(items) do
					if not isDomain(item, tools) then
						problem(param.problem, name, 'not-a-domain', { tools.shown(item) })
					end
				end
				empty = #items == 0
			elseif kind == 'flags' then
				local seen = {}
				for _, item in ipairs(tools.items(text)) do
					local id = p.flagId(data, item)
					if not seen[id] then
						seen[id] = true
						table.insert(record.flags, id)
					end
				end
				empty = #record.flags == 0
			elseif kind == 'users' or kind == 'items' then
				empty = #tools.items(text) == 0
			end
		end
		record.blank[name] = empty and #record.problems == before
	end
	record.shown = tools.shown
	return record
end

-- Applying the instant rules --------------------------------------------------------------------

local function listed(list, value)
	for _, item in ipairs(list) do
		if item == value then
			return true
		end
	end
	return false
end

local function anyListed(list, values)
	for _, item in ipairs(values or {}) do
		if listed(list, item) then
			return true
		end
	end
	return false
end

local function applies(rule, record, data)
	if rule.statuses and not listed(rule.statuses, record.values.status) then
		return false
	end
	if rule.types and not anyListed(rule.types, record.lists.type) then
		return false
	end
	for name, values in pairs(rule.when) do
		local kind, value = data.params[name].kind, record.values[name]
		if kind == 'boolean' then
			value = value == true and 'yes' or value == false and 'no' or nil
		end
		if kind == 'enum list' then
			if not anyListed(values, record.lists[name]) then
				return false
			end
		elseif not listed(values, value) then
			return false
		end
	end
	return true
end

local function hits(rule, record, data)
	local found = {}
	local check = rule.check
	if check == 'parser_problem' then
		for _, problem in ipairs(record.problems) do
			if listed(rule.fields, problem.rule) then
				table.insert(found, { field = problem.field, reason = problem.reason, params = problem.params })
			end
		end
	elseif check == 'required' then
		for _, name in ipairs(rule.fields) do
			if record.blank[name] then
				table.insert(found, { field = name })
			end
		end
	elseif check == 'required_any' then
		local all = true
		for _, name in ipairs(rule.fields) do
			all = all and record.blank[name]
		end
		if all then
			table.insert(found, { field = rule.fields[1], reason = 'none-filled', params = { p.join(rule.fields) } })
		end
	elseif check == 'required_yes' then
		for _, name in ipairs(rule.fields) do
			if record.values[name] ~= true then
				local reason = record.values[name] == false and 'answered-no' or 'not-answered'
				table.insert(found, { field = name, reason = reason, params = { name } })
			end
		end
	elseif check == 'unknown_flags' then
		for _, id in ipairs(record.flags) do
			if not listed(data.flags, id) then
				local close, shown = similar.closeMatch(id, data.flags, 0.6), record.shown(id)
				if close then
					table.insert(found, { field = 'flags', reason = 'flag-did-you-mean', params = { shown, close } })
				else
					table.insert(found, { field = 'flags', reason = 'flag-unlisted', params = { shown } })
				end
			end
		end
	end
	if #found > 1 then
		table.sort(found, function (x, y)
			return (x.field or '') < (y.field or '')
		end)
	end
	return found
end

--- Return the findings of the instant rules on args, in checklist order:
-- a list of { rule, severity, field, reason, params, flag, source, origin = 'infobox' }.
function p.judge(args, data)
	local record = p.read(args, data)
	local findings = {}
	for _, rule in ipairs(data.instant) do
		if applies(rule, record, data) then
			for _, hit in ipairs(hits(rule, record, data)) do
				local known = data.rules[rule.rule]
				table.insert(findings, {
					rule = rule.rule,
					severity = rule.severity,
					field = hit.field,
					reason = hit.reason or '',
					params = hit.params or {},
					flag = '',
					source = known and known.source or '',
					origin = 'infobox',
				})
			end
		end
	end
	return findings, record
end

return p
