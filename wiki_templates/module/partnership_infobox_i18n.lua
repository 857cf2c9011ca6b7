-- Module:Partnership infobox/i18n
--
-- What the partnership modules say, in the reader's language: the accessor for the message
-- bundles of the partnership bot, which Module:Partnership infobox/messages carries to the wiki
-- (generated from i18n/<area>/<language>.json by `partnerbot build-templates`).
--
-- Usage:
--   local i18n = require('Module:Partnership infobox/i18n')
--   local msg = i18n.new()        -- the wiki's content language; i18n.new('fr') for another one
--   msg:text(key, ...)            -- the message with $1, $2... and {{PLURAL:}} filled in
--   msg:has(key)                  -- whether the message exists (in English at least)
--   msg:number(n)                 -- n written as the language writes numbers
--   msg.code, msg.lang            -- the language code in use and its mw.language object
--
-- The syntax is MediaWiki's, as the bot applies it (bot/render/messages.py): $n is replaced by
-- the n-th argument (numbers through lang:formatNum, text as it is); {{PLURAL:$n|...}} picks a
-- form with lang:convertPlural, which applies MediaWiki's plural rules and its exact N= forms;
-- '|' inside [[...]] or {{...}} does not split the forms. A key missing in the language comes
-- from MediaWiki's fallback languages for it, then from English; a key missing in English is an
-- error in the calling module. The messages are loaded with mw.loadData, once per page.

local p = {}

local MESSAGES = 'Module:Partnership infobox/messages'
local FALLBACK = 'en'
local PLURAL_START = '{{%s*[Pp][Ll][Uu][Rr][Aa][Ll]%s*:'

--- Return the '|'-separated parts of the call whose arguments start at pos, and the position
-- after its closing '}}'; '|' inside [[...]] or {{...}} does not split. nil when unclosed.
local function splitCall(text, pos)
	local parts, depth, begin, i, n = {}, 0, pos, pos, #text
	while i <= n do
		local pair = string.sub(text, i, i + 1)
		if pair == '{{' or pair == '[[' then
			depth, i = depth + 1, i + 2
		elseif (pair == '}}' or pair == ']]') and depth > 0 then
			depth, i = depth - 1, i + 2
		elseif pair == '}}' then
			table.insert(parts, string.sub(text, begin, i - 1))
			return parts, i + 2
		elseif depth == 0 and string.sub(text, i, i) == '|' then
			table.insert(parts, string.sub(text, begin, i - 1))
			begin, i = i + 1, i + 1
		else
			i = i + 1
		end
	end
	return nil
end

--- Return the number {{PLURAL:arg}} chooses by, or nil.
local function pluralCount(arg, args, lang)
	local number = string.match(arg, '^%$(%d+)$')
	local value = number and args[tonumber(number)] or arg
	if type(value) == 'number' then
		return value
	elseif type(value) ~= 'string' then
		return nil
	end
	return tonumber(value) or lang:parseFormattedNumber(value)
end

--- Return text with every {{PLURAL:}} replaced by the form its number asks for.
local function expandPlurals(text, args, lang)
	local out, pos = {}, 1
	while true do
		local first, last = string.find(text, PLURAL_START, pos)
		local parts, after
		if first then
			parts, after = splitCall(text, last + 1)
		end
		if not parts then
			break
		end
		table.insert(out, string.sub(text, pos, first - 1))
		local forms = {}
		for k = 2, #parts do
			table.insert(forms, mw.text.trim(parts[k]))
		end
		local count = pluralCount(mw.text.trim(parts[1]), args, lang)
		local chosen = count and lang:convertPlural(count, forms) or forms[#forms] or ''
		table.insert(out, expandPlurals(chosen, args, lang))
		pos = after
	end
	table.insert(out, string.sub(text, pos))
	return table.concat(out)
end

local Messages = {}
Messages.__index = Messages

--- Return the raw text of key, or nil: the language, its fallbacks, then English.
function Messages:find(key)
	for _, code in ipairs(self.chain) do
		local texts = self.bundles[code]
		local text = texts and texts[key]
		if text then
			return text
		end
	end
	return nil
end

--- Return whether key is a message.
function Messages:has(key)
	return self:find(key) ~= nil
end

--- Return the raw text of key; an error when no language has it.
function Messages:raw(key)
	local text = self:find(key)
	if not text then
		error('Module:Partnership infobox/i18n: no message ' .. tostring(key), 3)
	end
	return text
end

--- Return message key with $1, $2... and {{PLURAL:}} filled in from the other arguments.
function Messages:text(key, ...)
	local args = { ... }
	local lang = self.lang
	local text = expandPlurals(self:raw(key), args, lang)
	return (string.gsub(text, '%$(%d+)', function (digits)
		local value = args[tonumber(digits)]
		if type(value) == 'number' then
			return lang:formatNum(value)
		elseif value ~= nil then
			return tostring(value)
		end
		return nil -- a parameter not given stays visible as $n
	end))
end

--- Return n written as the language writes numbers.
function Messages:number(n)
	return self.lang:formatNum(n)
end

--- Return the messages of language code over bundles (language code -> key -> text).
function p.fromBundles(bundles, code)
	local lang = code and mw.language.new(code) or mw.language.getContentLanguage()
	code = lang:getCode()
	local chain, seen = {}, {}
	local codes = { code }
	for _, fallback in ipairs(mw.language.getFallbacksFor(code)) do
		table.insert(codes, fallback)
	end
	table.insert(codes, FALLBACK)
	for _, each in ipairs(codes) do
		if not seen[each] then
			seen[each] = true
			table.insert(chain, each)
		end
	end
	return setmetatable({ code = code, lang = lang, chain = chain, bundles = bundles }, Messages)
end

--- Return the messages of language code (default: the wiki's content language).
function p.new(code)
	return p.fromBundles(mw.loadData(MESSAGES), code)
end

return p
