-- Shared by search.lua and soak.lua (loaded with require): the queries of $QUERIES and the
-- encoding of query parameters.
local M = {}

-- The queries of the file in $QUERIES (default bench/load/queries.txt): one per line, blank
-- lines and # comments left out.
function M.read()
  local queries = {}
  for line in io.lines(os.getenv("QUERIES") or "bench/load/queries.txt") do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      queries[#queries + 1] = line
    end
  end
  assert(#queries > 0, "no queries")
  return queries
end

-- Percent-encodes a query parameter value.
function M.encode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

return M
