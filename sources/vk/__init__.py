"""VK (VKontakte) on api.vk.ru with a service token: name search and community/user walls.

Off by default: VK is a Russian platform and sees every query, so an operator must opt in
with `opt_in: true` for each VK source.
"""
