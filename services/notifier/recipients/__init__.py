"""Recipients: where a user's notifications are delivered (today, the email address) and
where they live (the time zone alert wording says "today" in).

The notifier never reads the gateway's users: the gateway hands both over at sign-up
(`api.provision_user`) and the time zone whenever it changes (`api.set_time_zone`, in the same
transaction); a change of address will come through the same door.

- service.py     storing the address, validated
- repository.py  the recipients table
"""
