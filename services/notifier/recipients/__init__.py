"""Recipients: where a user's notifications are delivered (today, the email address).

The notifier never reads the gateway's users: the gateway hands the address over at sign-up
and whenever it changes (`api.provision_user`; a change of address will come through the same door).

- service.py     storing the address, validated
- repository.py  the recipients table
"""
