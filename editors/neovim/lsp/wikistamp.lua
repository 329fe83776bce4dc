-- wikistamp for Neovim 0.11+: put this file on your runtimepath as `lsp/wikistamp.lua`
-- (e.g. ~/.config/nvim/lsp/wikistamp.lua) and call `vim.lsp.enable('wikistamp')` in init.lua.
return {
  cmd = { 'wikistamp', 'lsp' },
  filetypes = { 'markdown' },
  root_markers = { 'wikistamp.toml', '.obsidian', '.git' },
  -- Severity per rule, overriding wikistamp.toml, e.g. { ['source-missing'] = 'off' }.
  init_options = { rules = {} },
}
