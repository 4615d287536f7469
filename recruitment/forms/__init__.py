"""Forms check the shape of what a page sends (lengths, ids, choices); the services
check the rules. One module per part of the cycle, ``common`` for what they share.
"""
