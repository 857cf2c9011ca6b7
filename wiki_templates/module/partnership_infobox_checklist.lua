-- Module:Partnership infobox/checklist
--
-- The partnership bot's checklist results for one infobox: where the data pages are, which
-- record belongs to an infobox, and its findings as tables. Module:Partnership infobox/summary
-- shows them.
--
-- The bot writes the data pages (format in bot/render/findings_json.py): findings as rule ids,
-- reason ids and parameters. A missing or damaged data page only means nothing is shown.

local p = {}

local ustring = mw.ustring
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
-- stays below 2^53, so it is exact here and equal to shard_of in bot/render/findings_json.py.
function p.shardOf(title, shards, modulus)
	if shards <= 1 then
		return 0
	end
	local h = 0
	for i = 1, #title do
		h = (h * 31 + string.byte(title, i)) % modulus
	end
	local spread = (h * MIX_MULTIPLIER) % MIX_MODULUS
	return math.floor(spread * shards / MIX_MODULUS)
end

--- Return the title of shard n of the findings data page base.
function p.shardTitle(base, n)
	local stem = string.gsub(base, '%.json$', '')
	return string.format('%s/%d.json', stem, n)
end

--- Return the findings index and this page's entry ({ b = records, r = revision }), or nils.
-- Never raises.
function p.load(base, pageTitle, modulus)
	local dataTitle = mw.title.new(base)
	-- Asking whether the page exists records a link to it, so pages are refreshed when the bot
	-- first creates it; mw.loadJsonData records a transclusion once it exists.
	if not dataTitle or not dataTitle.exists then
		return nil, nil
	end
	local ok, index = pcall(mw.loadJsonData, base)
	if not ok or type(index) ~= 'table' or index.version ~= 2 then
		return nil, nil
	end
	local pages = index.pages
	local shards = tonumber(index.shards) or 1
	if shards > 1 and shards == math.floor(shards) then
		local shardPage = p.shardTitle(base, p.shardOf(pageTitle, shards, modulus))
		local okShard, shard = pcall(mw.loadJsonData, shardPage)
		-- A shard left over from an earlier split (another shard count) is not used.
		local current = okShard and type(shard) == 'table' and tonumber(shard.shards) == shards
		pages = current and shard.pages or nil
	end
	if type(pages) ~= 'table' then
		return index, nil
	end
	local page = pages[pageTitle]
	-- A title made of digits arrives as a number key (PHP turns such JSON keys into integers).
	if page == nil and tostring(tonumber(pageTitle)) == pageTitle then
		page = pages[tonumber(pageTitle)]
	end
	if type(page) ~= 'table' or type(page.b) ~= 'table' then
		return index, nil
	end
	return index, page
end

-- Which record is this infobox ------------------------------------------------------------------

--- Return a parameter name or value as the key compares it (bot: bot/render/infobox_key.py, key_text).
function p.keyText(s, ws)
	s = string.gsub(s, '[%z\1-\8\11-\31\127]', '')
	s = string.gsub(s, '\194[\128-\159]', '')
	s = ustring.toNFC(s) or s
	s = ustring.gsub(s, '[' .. ws .. ']+', ' ')
	return (ustring.gsub(ustring.gsub(s, '^ ', ''), ' $', ''))
end

local function byteLess(x, y)
	for i = 1, math.min(#x, #y) do
		local a, b = string.byte(x, i), string.byte(y, i)
		if a ~= b then
			return a < b
		end
	end
	return #x < #y
end

--- Return the key of the infobox with args, leaving out the names in leftOut
-- (bot: bot/render/infobox_key.py, infobox_key).
function p.infoboxKey(args, leftOut, data)
	local skip = {}
	for _, name in ipairs(leftOut or {}) do
		skip[name] = true
	end
	local lines, names = {}, {}
	for key, value in pairs(args) do
		local name = p.keyText(tostring(key), data.whitespace)
		local text = p.keyText(value, data.whitespace)
		if not skip[name] and text ~= '' then
			if not lines[name] then
				table.insert(names, name)
			end
			lines[name] = name .. '=' .. text
		end
	end
	table.sort(names, byteLess)
	local kept = {}
	for _, name in ipairs(names) do
		table.insert(kept, lines[name])
	end
	local bytes = table.concat(kept, '\n')
	local hashes = {}
	for _, multiplier in ipairs(data.keyMultipliers) do
		local h = 0
		for i = 1, #bytes do
			h = (h * multiplier + string.byte(bytes, i)) % data.hashModulus
		end
		table.insert(hashes, string.format('%06x', h))
	end
	return table.concat(hashes)
end

--- Return the name the bot compares when no key matches: the name as written, else the partner.
function p.nameKey(args, data)
	local name = p.keyText(args.name or '', data.whitespace)
	if name ~= '' then
		return name
	end
	return p.keyText(args.partner or '', data.whitespace)
end

--- Return this infobox's record and whether it is current (the bot checked these very values):
-- the record with this infobox's key; else, marked as not current, the only record with its
-- name, or the page's only record. The tables of mw.loadJsonData do not support #.
function p.pick(page, args, data)
	local only, count, byName, named = nil, 0, nil, 0
	local nameKey = p.nameKey(args, data)
	for _, record in ipairs(page.b) do
		if type(record) == 'table' then
			count = count + 1
			only = record
			if type(record.k) == 'string' then
				local leftOut = type(record.t) == 'table' and record.t or nil
				if record.k == p.infoboxKey(args, leftOut, data) then
					return record, true
				end
			end
			if nameKey ~= '' and record.n == nameKey then
				byName, named = record, named + 1
			end
		end
	end
	if named == 1 then
		return byName, false
	end
	if count == 1 then
		return only, false
	end
	return nil, false
end

-- Findings --------------------------------------------------------------------------------------

local function text(value)
	return type(value) == 'string' and value or ''
end

--- Return a stored finding [rule, field, reason, params, flag] as a table, or nil when damaged.
function p.decode(entry)
	if type(entry) ~= 'table' or type(entry[1]) ~= 'string' then
		return nil
	end
	local finding = {
		rule = entry[1], field = text(entry[2]), reason = text(entry[3]),
		params = type(entry[4]) == 'table' and entry[4] or {}, flag = text(entry[5]),
	}
	return finding
end

--- Return the bot's findings of a record as tables (severity and source from the index).
-- A finding's severity is its rule's; its source is its flag's, else its rule's.
function p.botFindings(index, record)
	local findings = {}
	local rules = type(index.rules) == 'table' and index.rules or {}
	local flags = type(index.flags) == 'table' and index.flags or {}
	for _, entry in ipairs(type(record.f) == 'table' and record.f or {}) do
		local finding = p.decode(entry)
		if finding then
			local rule = type(rules[finding.rule]) == 'table' and rules[finding.rule] or {}
			local flag = finding.flag ~= '' and type(flags[finding.flag]) == 'table' and flags[finding.flag]
			finding.severity = text(rule.severity) ~= '' and rule.severity or 'info'
			finding.source = flag and text(flag.source) or text(rule.source)
			finding.origin = 'bot'
			table.insert(findings, finding)
		end
	end
	return findings
end

return p
