-- Module:Partnership infobox
--
-- Renders {{Partnership infobox}}: a table of the partnership's fields with human labels,
-- tracking categories by status and type, a maintenance category when something needs fixing,
-- and the bot's latest checklist findings for this page.
--
-- The template is a thin wrapper: {{#invoke:Partnership infobox|main}}. The infobox parameters
-- are read from the template call (the parent frame). Two optional arguments of the #invoke set
-- up a wiki:
--   findings=   title of the findings data page the bot writes
--               (default: Module:Partnership infobox/findings.json)
--   namespaces= comma-separated namespace numbers in which pages are categorised (default: 0)
--
-- The parameters and vocabularies are data, in Module:Partnership infobox/data.
-- The bot's checklist results are read and shown by Module:Partnership infobox/checklist.

local p = {}

local DATA_MODULE = 'Module:Partnership infobox/data'
local checklist = require('Module:Partnership infobox/checklist')
local externalLink, isSafeUrl = checklist.externalLink, checklist.isSafeUrl
local DEFAULT_FINDINGS_PAGE = 'Module:Partnership infobox/findings.json'
local DEFAULT_NAMESPACES = '0'
local MAINTENANCE_CATEGORY = 'Partnership infoboxes needing attention'
local STATUS_CATEGORY = 'Partnerships with status '
local TYPE_CATEGORY = 'Partnerships of type '

local BORDER = '#a2a9b1'
local HEADING_BACKGROUND = '#eaecf0'
local PROBLEM_COLOUR = '#d73333'

-- Small text functions ---------------------------------------------------------------------------

local function isEmpty(value)
	return value == nil or mw.text.trim(value) == ''
end

--- Return value in the form vocabularies use: lower case, spaces and hyphens as underscores.
local function normalise(value)
	local lowered = mw.ustring.lower(mw.text.trim(value))
	return (string.gsub(lowered, '[%s%-]+', '_'))
end

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

local function hint(text)
	return ' <span class="partnership-infobox-problem" style="color:' .. PROBLEM_COLOUR
		.. ';font-size:90%">(' .. text .. ')</span>'
end

-- Vocabularies -----------------------------------------------------------------------------------

--- Return { vocab = { value = label } } built from the data module.
local function labelTables(data)
	local tables = {}
	for vocab, entries in pairs(data.vocabularies) do
		local labels = {}
		for _, entry in ipairs(entries) do
			labels[entry[1]] = entry[2]
		end
		tables[vocab] = labels
	end
	return tables
end

-- Value renderers: each returns the wikitext to show and whether the value needs attention. ------

local render = {}

function render.text(value)
	return value, false
end

function render.enum(value, param, context)
	local label = context.labels[param.vocab][normalise(value)]
	if label then
		return label, false
	end
	return mw.text.nowiki(value) .. hint('not an allowed value'), true
end

function render.enums(value, param, context)
	local shown, bad = {}, false
	for _, item in ipairs(splitList(value)) do
		local label = context.labels[param.vocab][normalise(item)]
		if label then
			table.insert(shown, label)
		else
			table.insert(shown, mw.text.nowiki(item) .. hint('not an allowed value'))
			bad = true
		end
	end
	return table.concat(shown, ', '), bad
end

function render.date(value)
	local text = mw.text.trim(value)
	local month, day = string.match(text, '^%d%d%d%d%-(%d%d)%-(%d%d)$')
	if not month then
		month, day = string.match(text, '^%d%d%d%d%-(%d%d)$'), '01'
	end
	month, day = tonumber(month), tonumber(day)
	if month and month >= 1 and month <= 12 and day >= 1 and day <= 31 then
		return text, false
	end
	return mw.text.nowiki(text) .. hint('expected YYYY-MM-DD'), false
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
	return table.concat(shown, ', '), false
end

function render.url(value)
	local text = mw.text.trim(value)
	if isSafeUrl(text) then
		local label = string.gsub(string.gsub(text, '^https?://', ''), '/$', '')
		return externalLink(text, label), false
	end
	return mw.text.nowiki(text) .. hint('expected an address starting with https://'), false
end

function render.qid(value)
	local qid = mw.ustring.upper(mw.text.trim(value))
	if string.match(qid, '^Q%d+$') then
		return externalLink('https://www.wikidata.org/wiki/' .. qid, qid), false
	end
	return mw.text.nowiki(value) .. hint('expected an item id such as Q42'), false
end

function render.commons(value)
	local name = mw.text.trim((string.gsub(mw.text.trim(value), '^[Cc]ategory:', '')))
	if name == '' or string.find(name, '[%[%]{}|#<>]') then
		return mw.text.nowiki(value), false
	end
	local url = 'https://commons.wikimedia.org/wiki/Category:' .. mw.uri.encode(name, 'WIKI')
	return externalLink(url, name), false
end

function render.number(value)
	local text = mw.text.trim(value)
	if string.match(text, '^%d+$') then
		return text, false
	end
	return mw.text.nowiki(text) .. hint('expected a whole number'), false
end

function render.list(value)
	return table.concat(splitList(value), ', '), false
end

function render.flags(value, _, context)
	local shown = {}
	for _, item in ipairs(splitList(value)) do
		local flag = context.flags and context.flags[item]
		if type(flag) == 'table' and type(flag.label) == 'string' then
			local span = mw.html.create('span'):wikitext(mw.text.nowiki(flag.label))
			if type(flag.explanation) == 'string' then
				span:attr('title', flag.explanation)
			end
			table.insert(shown, tostring(span))
		else
			table.insert(shown, mw.text.nowiki(item))
		end
	end
	return table.concat(shown, ', '), false
end

function render.yesno(value, _, context)
	local answer = context.data.booleans[normalise(value)]
	if answer == true then
		return 'Yes', false
	elseif answer == false then
		return 'No', false
	end
	return mw.text.nowiki(value) .. hint('expected yes or no'), false
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
		:wikitext(label)
end

local function addRow(root, label, value, background)
	local row = root:tag('tr')
	row:tag('th')
		:attr('scope', 'row')
		:css('text-align', 'left')
		:css('vertical-align', 'top')
		:css('padding', '0.2em 0.4em')
		:css('width', '40%')
		:wikitext(label)
	local cell = row:tag('td'):css('vertical-align', 'top'):css('padding', '0.2em 0.4em')
	if background then
		cell:css('background-color', background)
	end
	cell:wikitext(value)
end

--- Add a heading and rows for each group with filled-in parameters; return the problems seen.
local function addFields(root, context, value)
	local problems = {}
	for _, group in ipairs(context.data.groups) do
		local rows = {}
		for _, param in ipairs(group.hidden and {} or group.params) do
			local text = value(param.name)
			-- The name is the infobox's caption; it is not repeated as a row.
			if text ~= '' and param.name ~= 'name' then
				local shown, bad = render[param.kind](text, param, context)
				if bad then
					table.insert(problems, param.label .. ' has a value outside the list')
				end
				local background = param.name == 'status' and context.data.statusColours[normalise(text)]
				table.insert(rows, { param.label, shown, background or nil })
			end
		end
		if #rows > 0 then
			addHeading(root, group.label)
			for _, row in ipairs(rows) do
				addRow(root, row[1], row[2], row[3])
			end
		end
	end
	return problems
end

--- Add to problems the required fields that are empty and the parameters nobody knows.
local function addMissingAndUnknown(problems, args, context, value)
	local data, missingOneOf = context.data, {}
	for _, field in ipairs(data.requiredOneOf) do
		if value(field) ~= '' then
			missingOneOf = nil
			break
		end
		table.insert(missingOneOf, context.fieldLabels[field])
	end
	if missingOneOf then
		table.insert(problems, table.concat(missingOneOf, ' or ') .. ' is missing')
	end
	for _, field in ipairs(data.required) do
		if value(field) == '' then
			table.insert(problems, context.fieldLabels[field] .. ' is missing')
		end
	end
	local unknown = {}
	for key in pairs(args) do
		if not context.fieldLabels[key] then
			table.insert(unknown, mw.text.nowiki(tostring(key)))
		end
	end
	if #unknown > 0 then
		table.sort(unknown)
		table.insert(problems, 'unknown parameter: ' .. table.concat(unknown, ', '))
	end
end

--- Return the category links: status, each type, and maintenance when something needs fixing.
local function categoryLinks(context, value, needsAttention)
	local names = {}
	local status = context.labels.status[normalise(value('status'))]
	if status then
		table.insert(names, STATUS_CATEGORY .. status)
	end
	for _, item in ipairs(splitList(value('type'))) do
		local label = context.labels.type[normalise(item)]
		if label then
			table.insert(names, TYPE_CATEGORY .. label)
		end
	end
	if needsAttention then
		table.insert(names, MAINTENANCE_CATEGORY)
	end
	local links = {}
	for _, name in ipairs(names) do
		table.insert(links, '[[Category:' .. name .. ']]')
	end
	return table.concat(links)
end

local function addNote(root, text, colour)
	root:tag('tr'):tag('td')
		:attr('colspan', 2)
		:css('font-size', '90%')
		:css('color', colour)
		:wikitext(text)
end

--- Return the infobox wikitext for args (a plain table of parameter values).
-- options: title (mw.title of the page), findings (data page title), namespaces (spec string).
function p._infobox(args, options)
	local data = mw.loadData(DATA_MODULE)
	local context = { data = data, labels = labelTables(data), fieldLabels = {} }
	for _, group in ipairs(data.groups) do
		for _, param in ipairs(group.params) do
			context.fieldLabels[param.name] = param.label
		end
	end
	local function value(name)
		return isEmpty(args[name]) and '' or mw.text.trim(args[name])
	end
	local name, partner = value('name'), value('partner')
	local index, records = checklist.load(options.findings or DEFAULT_FINDINGS_PAGE, options.title.prefixedText)
	context.flags = index and type(index.flags) == 'table' and index.flags or nil

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

	local problems = addFields(root, context, value)
	addMissingAndUnknown(problems, args, context, value)
	if data.booleans[normalise(value('bot'))] == false then
		addNote(root, "''The bot does not check this partnership.''")
	end
	if data.booleans[normalise(value('notices'))] == false then
		addNote(root, "''No community notices are posted about this partnership.''")
	end
	if #problems > 0 then
		addNote(root, 'Needs attention: ' .. table.concat(problems, '; ') .. '.', PROBLEM_COLOUR)
	end
	addHeading(root, 'Checklist')
	checklist.addTo(root, index, records and checklist.pick(records, name ~= '' and name or partner), context)

	local out = tostring(root)
	if categoryNamespaces(options.namespaces)[options.title.namespace] then
		out = out .. categoryLinks(context, value, #problems > 0)
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
	return p._infobox(args, {
		title = mw.title.getCurrentTitle(),
		findings = not isEmpty(frame.args.findings) and mw.text.trim(frame.args.findings) or nil,
		namespaces = not isEmpty(frame.args.namespaces) and frame.args.namespaces or nil,
	})
end

return p
