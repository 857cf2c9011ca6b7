-- Module:Partnership infobox/similar
--
-- The name an editor probably meant, chosen as the bot chooses it: Python's
-- difflib.get_close_matches(word, candidates, n=1, cutoff) for short strings (difflib's
-- "autojunk" heuristic applies only to strings of 200 characters or more). Module:Partnership
-- infobox/judge uses it to suggest a parameter name or a warning flag id.

local p = {}

local ustring = mw.ustring

local function codepoints(s)
	local points = {}
	for code in ustring.gcodepoint(s) do
		table.insert(points, code)
	end
	return points
end

--- Return the number of matching characters difflib.SequenceMatcher(None, a, b) finds.
local function matches(a, b)
	local b2j = {}
	for j, code in ipairs(b) do
		b2j[code] = b2j[code] or {}
		table.insert(b2j[code], j)
	end
	local total = 0
	local queue = { { 1, #a + 1, 1, #b + 1 } }
	while #queue > 0 do
		local alo, ahi, blo, bhi = unpack(table.remove(queue))
		local besti, bestj, bestsize = alo, blo, 0
		local j2len = {}
		for i = alo, ahi - 1 do
			local newj2len = {}
			for _, j in ipairs(b2j[a[i]] or {}) do
				if j >= blo then
					if j >= bhi then
						break
					end
					local k = (j2len[j - 1] or 0) + 1
					newj2len[j] = k
					if k > bestsize then
						besti, bestj, bestsize = i - k + 1, j - k + 1, k
					end
				end
			end
			j2len = newj2len
		end
		while besti > alo and bestj > blo and a[besti - 1] == b[bestj - 1] do
			besti, bestj, bestsize = besti - 1, bestj - 1, bestsize + 1
		end
		while besti + bestsize < ahi and bestj + bestsize < bhi
			and a[besti + bestsize] == b[bestj + bestsize] do
			bestsize = bestsize + 1
		end
		if bestsize > 0 then
			total = total + bestsize
			if alo < besti and blo < bestj then
				table.insert(queue, { alo, besti, blo, bestj })
			end
			if besti + bestsize < ahi and bestj + bestsize < bhi then
				table.insert(queue, { besti + bestsize, ahi, bestj + bestsize, bhi })
			end
		end
	end
	return total
end

--- Return the candidate closest to word with a ratio of at least cutoff, or nil.
function p.closeMatch(word, candidates, cutoff)
	local b = codepoints(word)
	local best, bestScore = nil, -1
	for _, candidate in ipairs(candidates) do
		local a = codepoints(candidate)
		local size = #a + #b
		local score = size > 0 and 2.0 * matches(a, b) / size or 1.0
		if score >= cutoff and (score > bestScore or (score == bestScore and candidate > best)) then
			best, bestScore = candidate, score
		end
	end
	return best
end

return p
