-- Module:Partnership infobox/checklist
--
-- The partnership bot's checklist results for one page, as Module:Partnership infobox shows
-- them: where the data pages are, which record belongs to an infobox, and the findings list.
--
-- The bot writes the data pages (format in bot/findings_data.py); this module only reads them
-- with mw.loadJsonData, and a missing or damaged page only means nothing is shown.

local p = {}

local HASH_MODULUS = 16777216 -- 2^24: keeps every step of the hash exact in Lua's doubles
local MIX_MULTIPLIER = 331804471 -- round(2^29 / golden ratio)
local MIX_MODULUS = 536870912 -- 2^29

-- Links -----------------------------------------------------------------------------------------

--- Return an external link to url labelled with plain text.
function p.externalLink(url, label)
	return '[' .. url .. ' ' .. mw.text.nowiki(label) .. ']'
end

--- Return whether value is an http(s) address that can go into an external link as it is.
function p.isSafeUrl(value)
	return string.match(value, '^https?://[^%s%[%]<>"{}|]+$') ~= nil
end

-- Where the records are ------------------------------------------------------------------------

--- Return the shard (0 to shards - 1) that holds a page's findings.
-- A 31-multiplier hash of the title's UTF-8 bytes, spread by Fibonacci hashing; every product
-- stays below 2^53, so it is exact here and equal to shard_of in bot/findings_data.py.
function p.shardOf(title, shards)
	if shards <= 1 then
		return 0
	end
	local h = 0
	for i = 1, #title do
		h = (h * 31 + string.byte(title, i)) % HASH_MODULUS
	end
	local spread = (h * MIX_MULTIPLIER) % MIX_MODULUS
	return math.floor(spread * shards / MIX_MODULUS)
end

--- Return the title of shard n of the findings data page base.
function p.shardTitle(base, n)
	local stem = string.gsub(base, '%.json$', '')
	return string.format('%s/%d.json', stem, n)
end

-- Reading and showing the records -----------------------------------------------------------

--- Return the findings index and this page's record list, or nils; never raises.
function p.load(base, pageTitle)
	local dataTitle = mw.title.new(base)
	-- Asking whether the page exists records a link to it, so pages are refreshed when the bot
	-- first creates it; mw.loadJsonData records a transclusion once it exists.
	if not dataTitle or not dataTitle.exists then
		return nil, nil
	end
	local ok, index = pcall(mw.loadJsonData, base)
	if not ok or type(index) ~= 'table' then
		return nil, nil
	end
	local pages = index.pages
	local shards = tonumber(index.shards) or 1
	if shards > 1 and shards == math.floor(shards) then
		local okShard, shard = pcall(mw.loadJsonData, p.shardTitle(base, p.shardOf(pageTitle, shards)))
		-- A shard left over from an earlier split (another shard count) is not used.
		local current = okShard and type(shard) == 'table' and tonumber(shard.shards) == shards
		pages = current and shard.pages or nil
	end
	if type(pages) ~= 'table' then
		return index, nil
	end
	local records = pages[pageTitle]
	-- A title made of digits arrives as a number key (PHP turns such JSON keys into integers).
	if records == nil and tostring(tonumber(pageTitle)) == pageTitle then
		records = pages[tonumber(pageTitle)]
	end
	if type(records) ~= 'table' then
		return index, nil
	end
	return index, records
end

--- Return this infobox's record: the one with its name, or the only one on the page.
-- The tables from mw.loadJsonData do not support the # operator, so count with ipairs.
function p.pick(records, name)
	local only, count = nil, 0
	for _, record in ipairs(records) do
		if type(record) == 'table' then
			count = count + 1
			only = record
			if name ~= '' and record.n == name then
				return record
			end
		end
	end
	if count == 1 then
		return only
	end
	return nil
end

--- Return the message shown for a rule message and a detail (bot/findings_data.py: with_detail).
function p.withDetail(message, detail)
	if detail == '' then
		return message
	end
	return (string.gsub(message, '%.$', '')) .. ' (' .. detail .. ').'
end

local function field(tbl, key)
	local value = type(tbl) == 'table' and tbl[key]
	return type(value) == 'string' and value or ''
end

--- Return the wikitext citing source ('Page § Section'), linked when the page's address is known.
local function citation(source, index)
	local page = string.match(source, '^(.-) § ') or source
	local url = field(index.sources, page)
	if p.isSafeUrl(url) then
		return p.externalLink(url, source)
	end
	return mw.text.nowiki(source)
end

--- Return a list item for one finding [rule, field, detail, mode, source], or nil.
local function describeFinding(entry, index, context)
	local ruleId, fieldName, detail, mode = entry[1], entry[2] or '', entry[3] or '', entry[4] or ''
	if type(ruleId) ~= 'string' or type(fieldName) ~= 'string' or type(detail) ~= 'string'
		or type(mode) ~= 'string' then
		return nil
	end
	local rule = type(index.rules) == 'table' and index.rules[ruleId] or nil
	local severity, source = field(rule, 'severity'), field(rule, 'source')
	local message = p.withDetail(field(rule, 'message'), detail)
	if string.find(mode, 'm', 1, true) then
		message = detail
	elseif string.find(mode, 'f', 1, true) then
		local flag = type(index.flags) == 'table' and index.flags[detail] or nil
		message = field(flag, 'label') .. ': ' .. field(flag, 'explanation')
		source = field(flag, 'source')
	end
	for letter, name in pairs({ e = 'error', w = 'warning', i = 'info' }) do
		if string.find(mode, letter, 1, true) then
			severity = name
		end
	end
	if type(entry[5]) == 'string' then
		source = entry[5]
	end
	local style = context.data.severities[severity] or context.data.severities.info
	local item = mw.html.create('li')
	item:tag('span')
		:css('color', style.colour)
		:css('font-weight', 'bold')
		:wikitext(style.label)
	item:wikitext(' ' .. mw.text.nowiki(message))
	if fieldName ~= '' then
		item:wikitext(' <small>(' .. mw.text.nowiki(context.fieldLabels[fieldName] or fieldName) .. ')</small>')
	end
	if source ~= '' then
		item:wikitext(' <small>Source: ' .. citation(source, index) .. '</small>')
	end
	return item
end

--- Add to the infobox table root a row with the record's score and findings (or 'not yet checked').
function p.addTo(root, index, record, context)
	local row = root:tag('tr'):tag('td'):attr('colspan', 2):css('font-size', '90%')
	if not index or not record then
		row:tag('i'):wikitext('Not yet checked by the bot.')
		return
	end
	local score = type(record.s) == 'table' and record.s or {}
	local passed, applicable = tonumber(score[1]) or 0, tonumber(score[2]) or 0
	local box = row:tag('div'):addClass('partnership-infobox-findings')
	if applicable > 0 then
		box:tag('b'):wikitext(string.format('%d of %d checks passed', passed, applicable))
	else
		box:tag('b'):wikitext('Checked by the bot')
	end
	local list = mw.html.create('ul')
	local shown = 0
	for _, entry in ipairs(type(record.f) == 'table' and record.f or {}) do
		local item = type(entry) == 'table' and describeFinding(entry, index, context)
		if item then
			list:node(item)
			shown = shown + 1
		end
	end
	local omitted = tonumber(record.x) or 0
	if omitted > 0 then
		list:tag('li'):wikitext(string.format('… and %d more (see the bot report)', omitted))
	end
	if shown == 0 and omitted == 0 then
		box:wikitext(' · nothing to report')
	else
		box:addClass('mw-collapsible') -- open: the editor should see what to fix
		box:wikitext(string.format(' · %d to look at', shown + omitted))
		box:tag('div'):addClass('mw-collapsible-content'):node(list)
	end
	if type(index.updated) == 'string' and index.updated ~= '' then
		row:tag('div'):css('color', '#54595d'):wikitext('Checked ' .. mw.text.nowiki(index.updated))
	end
end

return p
