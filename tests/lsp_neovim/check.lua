-- Drives `iisconf lsp` from headless Neovim as a user's configuration would: starts the
-- server for a web.config, waits for its diagnostics, asks for a hover, and writes what
-- Neovim received as JSON to $IISCONF_OUT. Written for Neovim 0.7 (Debian bookworm) and later.
local bin = os.getenv('IISCONF_BIN')
local file = os.getenv('IISCONF_FILE')
local out = os.getenv('IISCONF_OUT')
local hover_line = tonumber(os.getenv('IISCONF_HOVER_LINE'))
local hover_col = tonumber(os.getenv('IISCONF_HOVER_COL'))

local client_id = vim.lsp.start_client({
  name = 'iisconf',
  cmd = { bin, 'lsp' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

local result = { diagnostics = {}, hover = vim.NIL, waited = false }
result.waited = vim.wait(30000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then
    code = d.user_data.lsp.code
  end
  table.insert(result.diagnostics, {
    lnum = d.lnum,
    col = d.col,
    end_col = d.end_col,
    severity = d.severity,
    code = code,
    message = d.message,
  })
end
local answers = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = hover_line, character = hover_col },
}, 30000)
for _, answer in pairs(answers or {}) do
  if answer.result and answer.result.contents then
    result.hover = answer.result.contents.value
  end
end
vim.fn.writefile({ vim.fn.json_encode(result) }, out)
vim.lsp.stop_client(client_id)
vim.wait(10000, function()
  return vim.lsp.client_is_stopped(client_id)
end, 50)
vim.cmd('qall!')
