-- A reply per request: unique words and a unique client token, the session's CSRF token, its cookie.
local counter = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  token = args[1]
  headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
end

request = function()
  counter = counter + 1
  local tag = id .. "-" .. counter .. "-" .. math.random(1000000000)
  local body = "body=Benchmark+reply+" .. tag .. "&client_token=b" .. tag .. "&csrf_token=" .. token
  return wrk.format("POST", nil, headers, body)
end
dofile("report.lua")  -- the same summary line as every other run (wrk runs in bench/)
